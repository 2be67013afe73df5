"""pyproject.toml is the one list of pins; environment.yml (conda, Binder) must agree."""

from __future__ import annotations

import tomllib

import yaml

from .conftest import ROOT

REQUIRED = {
    "jupyterlab": "4.6.",
    "notebook": "7.",
    "nbgrader": "0.9.6",
    "papermill": "2.7",
    "ipywidgets": "8.1",
}


def _pins(lines):
    pins = {}
    for line in lines:
        name, _, version = line.partition("==")
        assert version, f"{line!r} is not pinned with =="
        pins[name.strip().lower()] = version.strip()
    return pins


def pyproject_pins():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return _pins(data["project"]["optional-dependencies"]["course"])


def environment_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    return _pins(p for p in pip if not p.startswith("-"))


def test_environment_yml_installs_exactly_the_pyproject_pins():
    assert environment_pins() == pyproject_pins()


def test_required_versions_are_pinned():
    pins = pyproject_pins()
    for name, prefix in REQUIRED.items():
        assert pins[name].startswith(prefix), (name, pins[name])
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    dev = _pins(data["project"]["optional-dependencies"]["dev"])
    assert {"pytest", "pytest-xdist", "ruff"} <= set(dev)
