"""`make lab` really serves the course: start it, poll /api/status, stop it by its pid."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from .conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_make_lab_serves_the_course(tmp_path):
    port, token = free_port(), secrets.token_hex(16)
    args = f"--no-browser --ServerApp.ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 " \
           f"--IdentityProvider.token={token}"
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"], cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        status, deadline = None, time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/status",
                                         headers={"Authorization": f"token {token}"})
            try:
                with urllib.request.urlopen(req, timeout=2) as resp:
                    status = json.load(resp)
                    break
            except OSError:
                time.sleep(0.5)
        text = (tmp_path / "lab.log").read_text()
        assert status is not None, f"JupyterLab did not answer on port {port}:\n{text}"
        assert "started" in status
        # the course notebook is served from the repository root
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/contents/course/00-start-here.ipynb?content=0",
            headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(req, timeout=5) as resp:
            assert json.load(resp)["type"] == "notebook"
        assert f":{port}/lab" in text  # the URL is printed for the user
        if os.geteuid() == 0:
            assert "--allow-root" in text
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
