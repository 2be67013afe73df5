"""The hub's spawner: JupyterHub's LocalProcessSpawner, its servers forked warm by the zygote.

The hub starts one zygote (hub/zygote.py) from the accounts' Python on its first spawn, from
its main thread (the zygote ends with the hub: it asks Linux for a signal when its parent
does). Each server is then forked by the zygote with its modules already imported, instead of
a new Python importing them again. A server the zygote cannot give (it is not running, or the
command is not `python -m module` from the zygote's own Python) starts the ordinary way.
"""

from __future__ import annotations

import asyncio
import pwd
import subprocess
from pathlib import Path
from typing import Any, ClassVar

from jupyterhub.spawner import LocalProcessSpawner
from jupyterhub.utils import random_port
from traitlets import Unicode

from . import zygote


class ZygoteSpawner(LocalProcessSpawner):
    """LocalProcessSpawner whose servers the zygote forks warm (Popen when it cannot)."""

    zygote_socket = Unicode("", config=True,
                            help="where the zygote listens (in a folder only root may enter); "
                                 "empty: start every server the ordinary way")

    _zygote: ClassVar[subprocess.Popen | None] = None
    _ready: ClassVar[asyncio.Future | None] = None

    async def _zygote_ready(self, python: str) -> bool:
        cls = type(self)
        if cls._ready is None:
            path = Path(self.zygote_socket)
            # Popen from the hub's main thread: the zygote's parent-death signal follows it
            cls._zygote = zygote.start(python, path)
            cls._ready = asyncio.ensure_future(asyncio.to_thread(zygote.wait_ready, path))
        ready = bool(await asyncio.shield(cls._ready))
        return ready and cls._zygote is not None and cls._zygote.poll() is None

    async def start(self) -> Any:
        cmd = [*self.cmd, *self.get_args()]
        if (not self.zygote_socket or self.shell_cmd or len(cmd) < 3 or cmd[1] != "-m"
                or not await self._zygote_ready(cmd[0])):
            return await super().start()
        if self.port == 0:  # type: ignore[has-type]
            self.port = random_port()  # before get_env(): the environment carries the port
        request = {"user": self.user.name, "cwd": pwd.getpwnam(self.user.name).pw_dir,
                   "env": self.get_env(), "python": cmd[0], "module": cmd[2],
                   "argv0": cmd[2], "args": cmd[3:]}
        try:
            pid = await asyncio.to_thread(zygote.request_server, Path(self.zygote_socket),
                                          request)
        except OSError as err:
            self.log.warning("The zygote could not start %s's server (%s): starting it the "
                             "ordinary way", self.user.name, err)
            return await super().start()
        self.proc, self.pid = None, pid
        self.log.info("Forked a warm server for %s (pid %i)", self.user.name, pid)
        return (self.ip or "127.0.0.1", self.port)
