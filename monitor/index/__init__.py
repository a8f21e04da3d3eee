"""The index port: `base.py` holds the interface; `embedded.py`, `elasticsearch.py` the backends."""

from monitor.index.base import FACETS, Index, SearchRequest, SearchResult

__all__ = ["FACETS", "Index", "SearchRequest", "SearchResult"]
