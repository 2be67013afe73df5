"""Binder (repo2docker) builds the course environment from environment.yml, then binder/postBuild
installs the package. When a binder/ folder exists repo2docker reads only that folder, so
binder/environment.yml must be the root environment.yml itself (a symbolic link), not a copy.
"""

from __future__ import annotations

import json
import os
import subprocess
import tomllib
import venv

import pytest
import yaml

from .conftest import ROOT

BINDER = ROOT / "binder"


def test_binder_environment_is_the_root_environment_yml():
    env = BINDER / "environment.yml"
    assert env.is_symlink(), "binder/environment.yml must link to ../environment.yml"
    assert os.readlink(env) == "../environment.yml"
    assert env.resolve() == (ROOT / "environment.yml").resolve()
    spec = yaml.safe_load(env.read_text())
    assert any(str(d).startswith("python=3.11") for d in spec["dependencies"])
    # repo2docker would pick these up instead of (or besides) environment.yml: none may exist
    others = {"requirements.txt", "Dockerfile", "Pipfile", "setup.py", "apt.txt", "install.R"}
    assert not others & {p.name for p in BINDER.iterdir()}


@pytest.mark.slow
def test_postbuild_installs_the_course_package(tmp_path):
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK), "binder/postBuild must be executable"
    # a bare environment stands in for the one repo2docker built from environment.yml
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    path = f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}"
    result = subprocess.run([str(post)], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PATH": path, "PIP_QUIET": "1"}, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    check = subprocess.run(
        [str(env_dir / "bin/python"), "-c",
         "import importlib.metadata as m, json; d = m.distribution('trafficking-course');"
         "print(json.dumps([d.version, d.read_text('direct_url.json')]))"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert check.returncode == 0, check.stderr
    version, direct_url = json.loads(check.stdout)
    assert version == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    # editable, so the notebooks on Binder read this checkout's data/
    assert json.loads(direct_url)["dir_info"] == {"editable": True}
