"""Saved searches, alerts and the alert stage run without the web app (`monitor stage alert`):
importing them loads none of its modules."""

from __future__ import annotations

import subprocess
import sys


def test_alerts_saved_searches_and_the_alert_stage_do_not_load_the_web_app() -> None:
    probe = (
        "import sys, pkgutil, importlib, monitor.alerts, monitor.saved\n"
        "for pkg in (monitor.alerts, monitor.saved):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "import pipelines.alert\n"
        "print(sorted(n for n in sys.modules if n.startswith('monitor.web')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
