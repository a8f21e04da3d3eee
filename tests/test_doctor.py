"""`monitor doctor` on a fresh checkout, and on config files with mistakes: every file it
reads is checked, each problem said in plain words; an optional part that is off is a note."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

from tests.test_cli import MONITOR, ROOT, monitor


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


def lines_of(output: str) -> dict[str, str]:
    """The first line of each check by its name: {"smtp": "note smtp not needed ..."}."""
    names = ("settings", "data folder", "extractor", "sources", "browser", "campaigns")
    names += ("alert rules",)
    found = {}
    for line in output.splitlines():
        for name in (*names, "bus", "index", "smtp"):
            if line[5:].startswith(name + " "):
                found[name] = line
    return found


def test_a_fresh_checkout_passes_with_notes_for_what_is_off(tmp_path: Path) -> None:
    done = monitor(tmp_path, "doctor", check=False, env={"MONITOR_SMTP__PORT": closed_port()})
    checks = lines_of(done.stdout)
    assert done.returncode == 0, done.stdout
    assert checks["smtp"].startswith("note smtp") and "no alert has recipients" in checks["smtp"]
    assert checks["alert rules"].startswith("note") and "no recipients" in checks["alert rules"]
    for name in ("settings", "sources", "campaigns", "bus", "index"):
        assert checks[name].startswith("ok"), done.stdout
    assert "config/feeds.toml" in checks["sources"]


def test_with_recipients_a_missing_mail_server_is_a_failure(tmp_path: Path) -> None:
    env = {"MONITOR_SMTP__PORT": closed_port(), "MONITOR_ALERTS__TO": "desk@example.org"}
    done = monitor(tmp_path, "doctor", check=False, env=env)
    assert done.returncode == 1
    assert lines_of(done.stdout)["smtp"].startswith("FAIL smtp")


def test_every_config_file_it_reads_is_checked(tmp_path: Path) -> None:
    rules = tmp_path / "alerts.toml"
    rules.write_text('[[rule]]\nname = "a"\nkind = "figure"\n[[rule]]\nname = "b"\nkind = "x"\n')
    campaigns = tmp_path / "campaigns.toml"
    campaigns.write_text("[[campaign]]\nname = 5\n")
    env = {
        "MONITOR_SMTP__PORT": closed_port(),
        "MONITOR_FEEDS": str(tmp_path / "nowhere.toml"),
        "MONITOR_ALERTS__RULES": str(rules),
        "MONITOR_CAMPAIGNS": str(campaigns),
    }
    done = monitor(tmp_path / "data", "doctor", check=False, env=env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    checks = lines_of(done.stdout)
    assert checks["sources"].startswith("FAIL")
    assert f"the sources file {tmp_path / 'nowhere.toml'} does not exist" in checks["sources"]
    assert "environment variable MONITOR_FEEDS=" in checks["sources"]
    assert checks["campaigns"].startswith("FAIL") and str(campaigns) in checks["campaigns"]
    assert checks["alert rules"].startswith(f"FAIL alert rules  {rules}: 3 problems:")
    for problem in (
        "rule 'a': field 'measure': Field required",
        "rule 'a': field 'at_least': Field required",
        "rule 'b': field 'kind': must be one of new_campaign, query, figure",
    ):
        assert problem in done.stdout


BROWSER_SOURCE = """
[[source]]
id = "bureau"
name = "bureau"
kind = "html"
render = "browser"
url = "https://bureau.example.org/xwfb/"
[source.selectors]
item = "#news li"
"""


def test_the_browser_is_checked_when_a_source_needs_it(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(BROWSER_SOURCE)
    env = {"MONITOR_SMTP__PORT": closed_port(), "MONITOR_FEEDS": str(feeds)}
    done = monitor(tmp_path / "data", "doctor", check=False, env=env)
    assert done.returncode == 0, done.stdout
    browser = lines_of(done.stdout)["browser"]
    assert browser.startswith("ok   browser      Chromium ")
    assert "starts, for 1 enabled source (bureau)" in browser

    feeds.write_text('[poller]\nbrowser_path = "/opt/none/chromium"\n' + BROWSER_SOURCE)
    done = monitor(tmp_path / "data", "doctor", check=False, env=env)
    assert done.returncode == 1
    text = " ".join(done.stdout.split())  # the console wraps long lines
    assert (
        "FAIL browser 1 enabled source needs a browser (bureau), but no browser: "
        "/opt/none/chromium is not installed" in text
    )
    assert "the other sources poll as usual" in text
    assert "what to do: apt-get install chromium (or make system-deps)" in text


def test_no_browser_is_a_note_when_no_source_needs_one(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        '[poller]\nbrowser_path = "/opt/none/chromium"\n'
        + BROWSER_SOURCE.replace('render = "browser"', 'render = "browser"\nenabled = false')
    )
    env = {"MONITOR_SMTP__PORT": closed_port(), "MONITOR_FEEDS": str(feeds)}
    done = monitor(tmp_path / "data", "doctor", check=False, env=env)
    assert done.returncode == 0, done.stdout
    browser = lines_of(done.stdout)["browser"]
    assert browser.startswith("note browser") and "no source needs one" in browser


def test_the_gazetteer_the_extractor_reads_is_checked(tmp_path: Path) -> None:
    """config/regions.toml under the working directory replaces the shipped one: a mistake in it
    is a failure naming the file, the entry and the field."""
    (tmp_path / "config").mkdir()
    regions = tmp_path / "config" / "regions.toml"
    regions.write_text('[[city]]\nname = "Lhasa"\nzh = ["Lhasa"]\n', encoding="utf-8")
    env = {
        **os.environ,
        "MONITOR_DATA_DIR": str(tmp_path / "data"),
        "MONITOR_FEEDS": str(ROOT / "config" / "feeds.toml"),
        "MONITOR_CAMPAIGNS": str(ROOT / "config" / "campaigns.toml"),
        "MONITOR_SMTP__PORT": closed_port(),
    }
    done = subprocess.run(
        [*MONITOR, "doctor"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    line = next(line for line in done.stdout.splitlines() if line[5:].startswith("gazetteer"))
    assert line.startswith("FAIL gazetteer") and "config/regions.toml: city entry 1" in line
    assert "'Lhasa' is not written in Chinese characters only" in done.stdout

    shipped = monitor(tmp_path / "data2", "doctor", check=False, env={"MONITOR_SMTP__PORT": "1"})
    line = next(line for line in shipped.stdout.splitlines() if line[5:].startswith("gazetteer"))
    assert line.startswith("ok   gazetteer") and "places" in line and "agencies" in line
