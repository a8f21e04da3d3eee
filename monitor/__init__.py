"""The announcement monitor: China's police campaigns against cybercrime, as they are announced."""

__version__ = "0.1.0"
