"""The extractor's rules for Chinese text: patterns and word lists of the finders that read it."""
