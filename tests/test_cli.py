"""The command line answers --help and --version."""

from __future__ import annotations

import subprocess
import sys

import trafficking_course


def run(*args):
    return subprocess.run([sys.executable, "-m", "trafficking_course", *args],
                          capture_output=True, text=True)


def test_help_lists_commands():
    out = run("--help")
    assert out.returncode == 0, out.stderr
    assert "usage: python -m trafficking_course" in out.stdout
    assert "clean-notebooks" in out.stdout


def test_version_matches_package():
    out = run("--version")
    assert out.returncode == 0
    assert trafficking_course.__version__ in out.stdout
    assert trafficking_course.__version__ != "0.0.0+unknown"
