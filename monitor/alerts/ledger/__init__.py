"""The alert ledger port: `base.py` holds the interface, `sqlite.py` the embedded backend."""

from monitor.alerts.ledger.base import (
    AlertContent,
    ArticleRef,
    Entry,
    HistoryEntry,
    Ledger,
    OutboxEmail,
    RecordOutcome,
)

__all__ = [
    "AlertContent",
    "ArticleRef",
    "Entry",
    "HistoryEntry",
    "Ledger",
    "OutboxEmail",
    "RecordOutcome",
]
