"""The hub's zygote: servers forked warm, each as its account, with only what the hub gave it.

Run as root (as the hub runs), with the checkout's Python: a probe module stands in for the
single-user server and writes down who and where it is.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import sys
import tempfile
import time
from pathlib import Path

import pytest

from trafficking_course.hub import zygote

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="the zygote starts servers as root")]

PROBE = '''
import json, os, sys
out = sys.argv[1]
fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
json.dump({"uid": os.getuid(), "gid": os.getgid(), "cwd": os.getcwd(), "env": dict(os.environ),
           "args": sys.argv[1:], "session_leader": os.getsid(0) == os.getpid(),
           "fds": fds, "warm": "jupyterhub.singleuser" in sys.modules}, open(out, "w"))
'''


@pytest.fixture
def world():
    """A folder every account may read and write (the probe module and its output)."""
    folder = Path(tempfile.mkdtemp(prefix="zygote-test-", dir="/tmp"))
    folder.chmod(0o777)
    (folder / "zygote_probe.py").write_text(PROBE)
    (folder / "zygote_probe.py").chmod(0o644)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def running(tmp_path, world):
    sock = tmp_path / "zygote.sock"
    proc = zygote.start(sys.executable, sock, env={**os.environ, "PYTHONPATH": str(world)})
    try:
        assert zygote.wait_ready(sock, timeout=120), "the zygote did not start"
        yield sock
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _request(world: Path, out: str, **extra) -> dict:
    return {"user": "nobody", "cwd": str(world), "env": {"ONLY": "this", "HOME": str(world)},
            "python": sys.executable, "module": "zygote_probe", "argv0": "zygote_probe",
            "args": [str(world / out)], **extra}


def _wait_for(path: Path, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size:
            time.sleep(0.1)
            return json.loads(path.read_text())
        time.sleep(0.05)
    raise AssertionError(f"{path} was never written")


def test_a_server_runs_as_its_account_with_only_the_given_environment(running, world):
    nobody = pwd.getpwnam("nobody")
    pid = zygote.request_server(running, _request(world, "out.json"))
    seen = _wait_for(world / "out.json")
    assert (seen["uid"], seen["gid"]) == (nobody.pw_uid, nobody.pw_gid)
    assert seen["cwd"] == str(world)
    assert seen["env"] == {"ONLY": "this", "HOME": str(world)}
    assert seen["args"] == [str(world / "out.json")]
    assert seen["session_leader"] is True
    assert seen["warm"] is True, "the server did not start from the preloaded modules"
    # stdin, stdout, stderr and the probe's own listing: nothing of the zygote's is inherited
    assert len(seen["fds"]) <= 4, seen["fds"]
    assert (world / "out.json").stat().st_uid == nobody.pw_uid
    # the zygote reaps the ended server, so the hub's poll (kill 0) sees it gone
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"pid {pid} still exists after its server ended (not reaped)")


def test_only_root_may_reach_the_zygote(running):
    assert stat.S_IMODE(running.stat().st_mode) & 0o077 == 0


def test_a_server_for_another_python_is_refused_and_the_zygote_goes_on(running, world):
    with pytest.raises(OSError, match="the zygote refused"):
        zygote.request_server(running, _request(world, "x.json", python="/usr/bin/python3"))
    assert not (world / "x.json").exists()
    zygote.request_server(running, _request(world, "after.json"))
    assert _wait_for(world / "after.json")["uid"] == pwd.getpwnam("nobody").pw_uid
