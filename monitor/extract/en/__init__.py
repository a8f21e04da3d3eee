"""The extractor's rules for English text: patterns and word lists of the finders that read it."""
