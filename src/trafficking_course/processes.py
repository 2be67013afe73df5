"""Servers the course starts as subprocesses (JupyterLab, JupyterHub): stopped as a group."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def stop_group(proc: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM to the process group proc leads (start_new_session=True), SIGKILL after timeout."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
