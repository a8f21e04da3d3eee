"""The bus port: `base.py` holds the interface, `embedded.py` and `kafka.py` the backends."""

from monitor.bus.base import DEAD_LETTER, ENRICHED, RAW, TOPICS, Bus, Consumer, Producer, Record

__all__ = ["DEAD_LETTER", "ENRICHED", "RAW", "TOPICS", "Bus", "Consumer", "Producer", "Record"]
