"""The web app: the search API and pages over whichever index the settings choose."""
