"""`pip install -e .` as the Makefile runs it (build isolation, MONITOR_PURE_PYTHON=1): the
install prints no warning from setuptools about the project's layout, nor any deprecation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_editable_install_warns_about_nothing(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, project / name)
    skip = shutil.ignore_patterns("__pycache__", "*.so", "*.pyc")
    for name in ("monitor", "pipelines"):
        shutil.copytree(ROOT / name, project / name, ignore=skip)
    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    python = str(target / "bin" / "python")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--no-deps",
            "-e",
            str(project),
        ],
        env={**os.environ, "MONITOR_PURE_PYTHON": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Successfully installed announcement-monitor" in output
    assert "deprecat" not in output.lower(), output
    assert "BuildBackendWarning" not in output and "SetuptoolsWarning" not in output, output
    # the install points at the project's sources (the dependencies are not installed here)
    where = subprocess.run(
        [python, "-c", "import importlib.util as u; print(u.find_spec('monitor').origin)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert where.stdout.strip() == str(project / "monitor" / "__init__.py"), where.stderr
