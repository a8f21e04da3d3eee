"""Reading one article file: a path that is no regular file is refused in plain words, at once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from monitor.ingest import IngestError, read_jsonl, read_text


def test_a_pipe_is_refused_rather_than_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "article.txt"
    os.mkfifo(pipe)
    with pytest.raises(IngestError, match="not a regular file"):
        read_text(pipe)
    with pytest.raises(IngestError, match="not a regular file"):
        list(read_jsonl(pipe))


def test_a_folder_or_a_missing_file_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="is a directory"):
        read_text(tmp_path)
    with pytest.raises(IngestError, match="no such file"):
        read_text(tmp_path / "missing.txt")


def test_an_article_file_gives_its_title_body_and_date(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Title line\r\nThe body.\r\n", encoding="utf-8")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    article = read_text(path)
    assert (article.title, article.body) == ("Title line", "The body.")
    assert article.published_at is not None and article.published_at.timestamp() == 1_700_000_000
    assert article.url == path.resolve().as_uri()


def test_a_file_read_through_links_is_the_file_linked_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An article's id comes from where the file really is: read through a linked folder, a
    linked file or a ".." after a link, it is the same article."""
    (tmp_path / "real").mkdir()
    (tmp_path / "elsewhere" / "deep").mkdir(parents=True)
    real = tmp_path / "real" / "a.txt"
    real.write_text("Police arrest 12\nBody text.\n", encoding="utf-8")
    (tmp_path / "folder-link").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "file-link.txt").symlink_to(real)
    (tmp_path / "elsewhere" / "up").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path)
    expected = read_text(real)
    for path in (
        tmp_path / "folder-link" / "a.txt",
        Path("folder-link/a.txt"),
        Path("real/file-link.txt"),
        Path("elsewhere/up/../real/a.txt"),  # ".." from where the link leads
        Path("./real/./a.txt"),
    ):
        article = read_text(path)
        assert (article.url, article.id) == (expected.url, expected.id), path
        assert article.content_hash == expected.with_hash().content_hash
