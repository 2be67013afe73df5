"""Shared fixtures: the repository root and a hermetic Jupyter environment for every test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from trafficking_course.dev.notebooks import hermetic_environ

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def hermetic_jupyter(tmp_path_factory):
    """Point Jupyter, IPython and matplotlib at private folders for the whole session."""
    env = hermetic_environ(tmp_path_factory.mktemp("jupyter-home"))
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield env
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
