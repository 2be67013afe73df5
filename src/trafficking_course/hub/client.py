"""A browser's view of the class hub over HTTP: log in, start a server, call its APIs, run code.

Used by the end-to-end test (tests/test_hub.py) and the benchmark (`make bench-hub`). Each
HubUser is one person's browser session: the hub's login form, the cookies JupyterHub's OAuth
sets for /user/<name>/, the XSRF header JupyterLab sends, and a kernel driven over the same
websocket JupyterLab uses.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import requests
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from ..errors import HubError
from ..processes import stop_group
from . import config_in
from .accounts import HubState


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class HubProcess:
    """JupyterHub from the state's own Python on free loopback ports, stopped by group.

    The state must be set up first (accounts.prepare_folders, environment.prepare_environment,
    accounts.prepare_accounts: what `make hub` does); env adds to the hub's environment
    (HUB_PREFIX, HUB_STUDENTS).
    """

    def __init__(self, state: HubState, log: Path, proxy: Path,
                 env: dict[str, str] | None = None, password: str = "",
                 port: int | None = None) -> None:
        self.state, self.log_path, self.password = state, log, password
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environ = {**os.environ, **(env or {}), "HUB_STATE": str(state.root),
                   "HUB_ENV": str(state.env), "HUB_PROXY": str(proxy),
                   "HUB_PORT": str(self.port), "HUB_API_PORT": str(free_port()),
                   "HUB_PROXY_API_PORT": str(free_port())}
        self._log: IO[str] = log.open("w")
        self.proc = subprocess.Popen(
            [str(state.python), "-m", "jupyterhub", "-f", str(config_in(state.python_env))],
            cwd=state.private, env=environ, stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self, timeout: float = 120) -> HubProcess:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.base}/hub/api/", timeout=5).status_code == 200:
                    return self
            time.sleep(0.5)
        raise HubError(f"the hub did not answer on port {self.port}:\n{self.text()[-3000:]}")

    def text(self) -> str:
        return self.log_path.read_text()

    def stop(self) -> None:
        """SIGTERM as Ctrl-C would: the hub stops every server and the proxy, then exits."""
        stop_group(self.proc, timeout=60)
        self._log.close()


@dataclass
class HubUser:
    """One account's browser session on the hub at base (e.g. http://127.0.0.1:8000)."""

    base: str
    name: str
    session: requests.Session = field(default_factory=requests.Session)

    @property
    def server(self) -> str:
        return f"{self.base}/user/{self.name}"

    def login(self, password: str, then: str = "/hub/spawn") -> requests.Response:
        """Fill in and send the hub's login form, as a person in a browser does.

        then: where the hub sends the person next (its spawn page starts their server).
        """
        page = self.session.get(f"{self.base}/hub/login", timeout=30)
        found = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        if not found:
            raise HubError(f"no login form at {self.base}/hub/login ({page.status_code})")
        resp = self.session.post(
            f"{self.base}/hub/login", params={"next": then},
            data={"username": self.name, "password": password, "_xsrf": found.group(1)},
            timeout=60)
        if "/hub/login" in resp.url:
            raise HubError(f"the hub refused the login of {self.name!r}", record=self.name)
        return resp

    def wait_ready(self, timeout: float = 240) -> float:
        """Open the server's JupyterLab until it answers (OAuth on first visit); seconds taken."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            resp = self.session.get(f"{self.server}/lab", timeout=60)
            if resp.status_code == 200 and resp.url.rstrip("/").endswith(f"/user/{self.name}/lab"):
                return time.monotonic() - start
            time.sleep(0.5)
        raise HubError(f"the server of {self.name!r} was not ready within {timeout:g} s")

    def _headers(self) -> dict[str, str]:
        xsrf = self.session.cookies.get("_xsrf", path=f"/user/{self.name}/")
        return {"X-XSRFToken": xsrf} if xsrf else {}

    def request(self, method: str, path: str, *, server: str | None = None,
                **kwargs: Any) -> requests.Response:
        """A request to a server's path (this user's own unless server names another user)."""
        base = f"{self.base}/user/{server}" if server else self.server
        return self.session.request(method, f"{base}/{path.lstrip('/')}",
                                    headers=self._headers(), timeout=kwargs.pop("timeout", 300),
                                    **kwargs)

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        """A JSON API call to the own server; HubError unless it succeeds."""
        resp = self.request(method, path, **kwargs)
        if resp.status_code >= 400:
            raise HubError(f"{method} {path} as {self.name}: {resp.status_code} {resp.text[:500]}")
        return resp.json() if resp.content else None

    def nbgrader(self, action: str, **data: str) -> Any:
        """An Assignments-tab call (list, fetch, submit, fetch_feedback); its value back."""
        if action == "list":
            answer = self.api("GET", "assignments", params=data)
        else:
            answer = self.api("POST", f"assignments/{action}", data=data)
        if not answer.get("success"):
            raise HubError(f"nbgrader {action} as {self.name} failed: {answer.get('value')}")
        return answer["value"]

    def run_code(self, cells: list[str], timeout: float = 300, path: str = "",
                 before_shutdown: Any = None, after_cell: Any = None) -> list[dict[str, Any]]:
        """Start a kernel (in folder path), run each cell in order over the websocket, stop it.

        Returns one dict per cell: status ('ok' or 'error'), seconds, and the text it printed.
        before_shutdown, if given, is called while the kernel still runs; after_cell(i) after
        the i-th cell.
        """
        kernel = self.api("POST", "api/kernels", json={"name": "python3", "path": path})
        try:
            results = asyncio.run(self._execute(kernel["id"], cells, timeout, after_cell))
            if before_shutdown is not None:
                before_shutdown()
            return results
        finally:
            self.request("DELETE", f"api/kernels/{kernel['id']}")

    async def _execute(self, kernel_id: str, cells: list[str], timeout: float,
                       after_cell: Any = None) -> list[dict[str, Any]]:
        url = self.server.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels"
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)
        request = HTTPRequest(url, headers={"Cookie": cookies, **self._headers()},
                              request_timeout=timeout)
        conn = await websocket_connect(request)
        try:
            results = []
            for i, code in enumerate(cells):
                results.append(await self._one_cell(conn, code, timeout))
                if after_cell is not None:
                    after_cell(i)
            return results
        finally:
            conn.close()

    @staticmethod
    async def _one_cell(conn: Any, code: str, timeout: float) -> dict[str, Any]:
        msg_id, start = uuid.uuid4().hex, time.monotonic()
        conn.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "",
                       "session": uuid.uuid4().hex, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        text: list[str] = []
        status, idle = None, False
        while status is None or not idle:
            raw = await asyncio.wait_for(conn.read_message(), timeout)
            if raw is None:
                raise HubError(f"the kernel's websocket closed (code {conn.close_code}, "
                               f"reason {conn.close_reason!r}, after "
                               f"{time.monotonic() - start:.1f} s of this cell)")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                text.append(content["text"])
            elif kind == "error":
                text.append(f"{content['ename']}: {content['evalue']}")
            elif kind == "execute_reply":
                status = content["status"]
            elif kind == "status":
                idle = content["execution_state"] == "idle"
        return {"status": status, "seconds": time.monotonic() - start, "text": "".join(text)}
