"""A warm parent for the students' servers: their Python modules imported once, not per login.

Each student's server (JupyterHub's single-user server, JupyterLab and their extensions) spends
most of its start importing modules: JupyterHub's singleuser package alone imports the hub's
database layer (SQLAlchemy, Alembic), about a second of CPU per start. With twenty students
logging in at once on two cores that is the larger part of the wait.

The zygote is one root process, started with the hub from the accounts' Python, that imports
those modules once (PRELOAD) and then waits on a Unix socket only root can reach (in the hub's
private state folder). For each server the hub's spawner (hub/spawner.py) sends the
command, environment and account; the zygote forks, and the child drops to the account (group,
supplementary groups, user: JupyterHub's own set_user_setuid), moves to its home, takes exactly
the environment the hub gave it, closes every other file, starts a new session and runs the
single-user server's `__main__` in the already warm interpreter. The parent answers with the
child's pid and reaps it when it ends; the hub polls and stops the server by that pid, as it
does for a server it resumed after a restart. The spawner is hub/spawner.py (ZygoteSpawner).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

#: What every server imports at start, imported once in the zygote (none reads the account's
#: home or environment when imported: the server reads them when it starts, in the child).
PRELOAD = (
    "jupyterhub.singleuser",
    "jupyterhub.singleuser.extension",
    "jupyter_server.serverapp",
    "jupyterlab.labapp",
    "jupyterlab.handlers.announcements",
    "jupyter_server_terminals",
    "notebook_shim.nbserver",
    "nbformat",
    "trafficking_course.hub.assignments",
)
SOCKET_NAME = "zygote.sock"
#: the process name (comm) a forked server shows in ps and top; its command line stays the
#: zygote's, as after any fork
SERVER_NAME = "singleuser"
_MAX_REQUEST = 1 << 20


def _reap(signum: int, frame: Any) -> None:
    """Collect every child that has ended, so none lingers as a zombie the hub sees alive."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _become(request: dict, listener: socket.socket, conn: socket.socket) -> None:
    """In the child: become the account's server process (never returns)."""
    code = 1
    try:
        listener.close()
        conn.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        from jupyterhub.spawner import set_user_setuid

        set_user_setuid(request["user"], chdir=False)()
        with contextlib.suppress(Exception):  # `ps -o comm`, top: what this process now is
            import ctypes

            ctypes.CDLL(None).prctl(15, SERVER_NAME.encode(), 0, 0, 0)  # PR_SET_NAME
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        sys.argv = [request["argv0"], *request["args"]]
        runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException as err:  # noqa: BLE001 (the child must never return into the loop)
        print(f"zygote: the server for {request.get('user')} failed: {err!r}", file=sys.stderr,
              flush=True)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(path: Path) -> None:
    """Import PRELOAD, then fork a server for each request on the socket at `path`."""
    if os.getuid() != 0:
        raise SystemExit("zygote: must run as root (it starts servers as the class's accounts)")
    with contextlib.suppress(Exception):  # die with the hub that started us (Linux)
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    sys.path[:] = [p for p in sys.path if p not in ("", os.getcwd())]
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    gc.collect()
    gc.freeze()  # the preloaded objects stay shared with the children, not copied on write
    signal.signal(signal.SIGCHLD, _reap)
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o077)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old)
    listener.listen(64)
    print(f"zygote: ready ({len(sys.modules)} modules preloaded)", file=sys.stderr, flush=True)
    while True:
        conn, _ = listener.accept()
        with conn:
            try:
                request = json.loads(_read_line(conn))
                if Path(request["python"]).resolve() != Path(sys.executable).resolve():
                    raise ValueError(f"the server wants {request['python']}, the zygote runs "
                                     f"{sys.executable}")
                pid = os.fork()
                if pid == 0:
                    _become(request, listener, conn)
                conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
            except (OSError, ValueError, KeyError) as err:
                with contextlib.suppress(OSError):
                    conn.sendall(json.dumps({"error": repr(err)}).encode() + b"\n")


def _read_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk or len(data) > _MAX_REQUEST:
            raise ValueError("incomplete request")
        data += chunk
    return data


def request_server(path: Path, request: dict, timeout: float = 30) -> int:
    """Ask the zygote at `path` for a server; its pid (OSError if the zygote is not there)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(str(path))
        conn.sendall(json.dumps(request).encode() + b"\n")
        answer = json.loads(_read_line(conn))
    if "pid" not in answer:
        raise OSError(f"the zygote refused: {answer.get('error')}")
    return int(answer["pid"])


def start(python: Path | str, path: Path, env: dict[str, str] | None = None
          ) -> subprocess.Popen:
    """Start a zygote from `python` listening at `path` (as root; it preloads in the background)."""
    return subprocess.Popen([str(python), "-m", "trafficking_course.hub.zygote", str(path)],
                            stdin=subprocess.DEVNULL, cwd=str(path.parent), env=env)


def wait_ready(path: Path, timeout: float = 60) -> bool:
    """True once the zygote at `path` accepts connections (False after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as probe:
            probe.connect(str(path))
            return True
        time.sleep(0.1)
    return False


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
