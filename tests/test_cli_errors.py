"""What a user sees when the `monitor` command is given a bad path or bad input: one line
naming the problem and a non-zero exit, never a traceback. And `monitor extract` as a table
or as JSON lines."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import CORPUS
from tests.test_cli import monitor

ENGLISH = CORPUS / "001_5c588732cdbd6a14.txt"  # Blue Sword, 17,000 arrested


def no_traceback(done: object) -> None:
    text = f"{done.stdout}\n{done.stderr}"  # type: ignore[attr-defined]
    assert "Traceback" not in text, text


def test_extract_names_a_missing_file_and_a_folder_and_extracts_the_others(
    tmp_path: Path,
) -> None:
    missing, folder = tmp_path / "missing.txt", tmp_path / "folder"
    folder.mkdir()
    done = monitor(tmp_path, "extract", str(missing), str(folder), str(ENGLISH), check=False)
    no_traceback(done)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"error: {missing}: no such file",
        f"error: {folder}: is a directory, not a file (give the files in it)",
    ]
    assert str(ENGLISH) in done.stdout and "Blue Sword" in done.stdout


def test_extract_shows_a_table_that_fits_80_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    done = monitor(tmp_path, "extract", *sorted(str(p) for p in CORPUS.glob("*.txt")))
    lines = done.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert any("campaigns" in line and "Blue Sword" in line for line in lines)
    # a figure as a reader says it, its measure in words, and the quote it came from
    row = next(line for line in lines if "17,000" in line and "arrested" in line)
    assert "people" in row and "arrested 17,000" in row
    assert "money seized" in done.stdout and "billion yuan" in done.stdout
    assert "money_seized" not in done.stdout


def test_extract_json_gives_one_object_per_file(tmp_path: Path) -> None:
    files = sorted(str(p) for p in CORPUS.glob("*.txt"))
    done = monitor(tmp_path, "extract", "--json", *files)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["file"] for line in lines] == files
    assert all(set(line) == {"file", "extraction"} for line in lines)
    assert "Blue Sword" in {
        c["canonical"] for line in lines for c in line["extraction"]["campaigns"]
    }


def test_extract_help_has_no_json_default_of_true(tmp_path: Path) -> None:
    done = monitor(tmp_path, "extract", "--help")
    assert "[default: True]" not in done.stdout


def _binary(tmp_path: Path) -> Path:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return path


def _gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.json"
    path.write_text('[{"campaigns": []}]', encoding="utf-8")
    return path


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "a-file"
    path.write_text("not a folder", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make_args", "env", "message"),
    [
        (lambda t: ["ingest", str(t)], {}, "is a directory, not a file"),
        (lambda t: ["ingest", str(t / "nowhere.txt")], {}, "nowhere.txt: no such file"),
        (lambda t: ["extract", str(_binary(t))], {}, "photo.txt: a binary file, not text"),
        (lambda t: ["eval", str(_gold(t)), str(CORPUS)], {}, "gold.json: not a gold file"),
        (lambda t: ["eval", str(t / "gold.json"), str(CORPUS)], {}, "cannot read the gold"),
        (lambda t: ["eval", str(_gold(t)), str(_file(t))], {}, "not a folder of text files"),
        (lambda t: ["search", "x", "--config", str(t)], {}, "is a directory, not a settings"),
        (lambda t: ["campaigns", "--config", str(t / "no.toml")], {}, "no.toml does not exist"),
        (lambda t: ["replay", "--config", str(_binary(t))], {}, "is not valid TOML"),
        (lambda t: ["search", "x"], {"MONITOR_DATA_DIR": "a-file"}, "is a file, not a folder"),
    ],
    ids=[
        "ingest-folder",
        "ingest-missing",
        "extract-binary",
        "eval-bad-gold",
        "eval-missing-gold",
        "eval-corpus-a-file",
        "config-folder",
        "config-missing",
        "config-binary",
        "data-dir-a-file",
    ],
)
def test_bad_path_or_input_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, make_args: object, env: dict[str, str], message: str
) -> None:
    args = make_args(tmp_path)  # type: ignore[operator]
    data = tmp_path / "data"
    if env.get("MONITOR_DATA_DIR") == "a-file":
        data = _file(tmp_path)
    done = monitor(data, *args, check=False)
    no_traceback(done)
    assert done.returncode == 2, done.stderr
    # one line, or for settings one line per wrong setting under "invalid settings:"
    assert done.stderr.startswith("error:") and message in done.stderr, done.stderr


@pytest.mark.parametrize("command", [["run"], ["stage", "poll"]], ids=["run", "stage-poll"])
def test_a_sources_file_that_does_not_exist_stops_start_up(
    tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "feeds.toml"
    env = {"MONITOR_FEEDS": str(missing), "MONITOR_WEB__PORT": "0", "MONITOR_METRICS__PORT": "0"}
    done = monitor(tmp_path / "data", *command, check=False, env=env)
    no_traceback(done)
    assert done.returncode == 2
    assert (
        f"feeds: {missing} does not exist (from environment variable MONITOR_FEEDS='{missing}')"
        in done.stderr
    )


@pytest.mark.parametrize(
    ("command", "setting"),
    [
        (["run"], "web"),
        (["web"], "web"),
        (["demo"], "web"),
        (["stage", "extract"], "metrics"),
    ],
    ids=["run", "web", "demo", "stage-metrics"],
)
def test_a_port_in_use_names_the_setting_to_change(
    tmp_path: Path, command: list[str], setting: str
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        env = {"MONITOR_WEB__PORT": port if setting == "web" else "0", "MONITOR_METRICS__PORT": "0"}
        if setting == "metrics":
            env["MONITOR_METRICS__PORT"] = port
        done = monitor(tmp_path / "data", *command, check=False, env=env)
    no_traceback(done)
    assert done.returncode == 2, done.stderr
    variable = f"MONITOR_{setting.upper()}__PORT"
    assert f"error: port {port} is in use ({setting}.port / {variable}" in done.stderr


def test_help_names_the_data_folder_and_the_demos(tmp_path: Path) -> None:
    done = monitor(tmp_path, "--help", env={"COLUMNS": "400"})
    assert (
        f"Data folder: {tmp_path.resolve()} (data_dir, from environment variable "
        f"MONITOR_DATA_DIR='{tmp_path}')" in done.stdout
    )
    assert f"`monitor demo` keeps its data in {tmp_path.resolve() / 'demo'}" in done.stdout
