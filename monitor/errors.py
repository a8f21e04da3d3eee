"""The monitor's own exception tree.

Backends translate the exceptions of their libraries (sqlite3, kafka.errors,
elasticsearch) into these at their edge, so the stages only ever see ours:
a `TransientError` is worth retrying, a `PermanentError` sends the message to the
dead-letter topic, a `QuerySyntaxError` goes back to the user who typed the query.
"""


class MonitorError(Exception):
    """Base of every error the monitor raises on purpose."""


class ConfigError(MonitorError):
    """A setting or config file is wrong; the message names it and where it came from."""


class TransientError(MonitorError):
    """Something outside the message failed (a server away, a lock held): try again later."""


class PermanentError(MonitorError):
    """The message itself cannot be handled; retrying will not help (dead-letter it)."""


class QuerySyntaxError(MonitorError, ValueError):
    """A search query that does not parse; the message says what is wrong and where."""
