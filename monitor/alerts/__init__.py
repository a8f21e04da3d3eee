"""Email alerts: rules (`rules.py`), matching, the alert ledger (`ledger/`: SQLite and
Elasticsearch), rendering and sending. `pipelines/alert.py` is the stage; the web views
call `list_rules(path)` and `open_ledger(settings).history(limit)`."""

from __future__ import annotations

from monitor.alerts.ledger.base import HistoryEntry, Ledger
from monitor.alerts.rules import AnyRule, list_rules, load_alerts, load_rules
from monitor.settings import Settings

LEDGER_FILE = "alerts.db"


def open_ledger(settings: Settings) -> Ledger:
    """The ledger of these settings: in Elasticsearch when the index is (the distributed
    deployment, shared by every alert process), else SQLite in the data folder."""
    if settings.index == "elasticsearch":
        from monitor.alerts.ledger.elasticsearch import ElasticsearchLedger

        return ElasticsearchLedger(settings.elasticsearch)
    from monitor.alerts.ledger.sqlite import SqliteLedger

    return SqliteLedger(settings.data_dir / LEDGER_FILE)


__all__ = [
    "LEDGER_FILE",
    "AnyRule",
    "HistoryEntry",
    "Ledger",
    "list_rules",
    "load_alerts",
    "load_rules",
    "open_ledger",
]
