"""A group member in its own process for the crash test: it polls, never commits, gets killed.

Usage: python crash_member.py BACKEND_JSON TOPIC GROUP COUNT. Prints the offsets it
received as one JSON line, then keeps polling (and so keeps its partitions or lease).
"""

from __future__ import annotations

import json
import sys

from tests.bus.backends import Backend, poll_until


def main(spec: str, topic: str, group: str, count: int) -> None:
    bus = Backend.from_json(spec).open((topic,))
    consumer = bus.consumer(topic, group)
    records = poll_until(consumer, count)
    print(json.dumps([[r.partition, r.offset] for r in records]), flush=True)
    while True:
        consumer.poll(max_records=10, timeout=0.2)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
