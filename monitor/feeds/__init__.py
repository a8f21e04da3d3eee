"""Feed polling: sources, fetching, charsets, parsing, full text, identity and per-source state.

The scheduling loop that drives these lives in `pipelines/poll.py`.
"""
