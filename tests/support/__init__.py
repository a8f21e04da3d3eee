"""Helpers the test suites share: real servers started on loopback for the duration of a test."""
