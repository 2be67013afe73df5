"""What the sandboxed kernel may read: the package folders on sys.path, never the course."""

from __future__ import annotations

import sys
from pathlib import Path

from trafficking_course.grading.isolation import sandbox


def test_site_folders_a_pth_file_adds_are_readable_but_the_working_folder_is_not(
        tmp_path, monkeypatch):
    site = tmp_path / "other-env" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    course = tmp_path / "exercises"
    course.mkdir()
    monkeypatch.setattr(sys, "path", [*sys.path, str(site), str(course), ""])
    readable = sandbox._read_only_paths()
    assert site in readable
    assert [p for p in readable if course.is_relative_to(p) and p.is_relative_to(tmp_path)] == []


def _start_command(mode: str, tmp_path) -> list[str]:
    import asyncio

    km = sandbox.SandboxedKernelManager(mode=mode, runtime_root=str(tmp_path))
    try:
        cmd, _ = asyncio.run(km._async_pre_start_kernel(cwd=str(tmp_path)))
    finally:
        import shutil

        shutil.rmtree(km.runtime, ignore_errors=True)
    return cmd


def test_without_bubblewrap_the_formgraders_kernel_starts_plain_with_a_warning(
        tmp_path, monkeypatch, caplog):
    """mode=auto (the formgrader's Autograde button): no bwrap, a warning, the kernel as is;
    mode=require (the course's autograde): one clear error."""
    import logging

    import pytest

    from trafficking_course.errors import GradingError

    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap on PATH
    sandbox.probe.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            cmd = _start_command("auto", tmp_path)
        assert "bwrap" not in " ".join(cmd) and "ipykernel" in " ".join(cmd)
        assert "not sandboxed (bubblewrap (bwrap) is not installed)" in caplog.text
        with pytest.raises(GradingError, match="SANDBOX=require but bubblewrap"):
            _start_command("require", tmp_path)
    finally:
        sandbox.probe.cache_clear()


def test_kernel_sockets_stay_within_the_unix_socket_limit(tmp_path, monkeypatch):
    """A long TMPDIR (a CI runner's, pytest's) must not give the kernel a socket path Linux
    refuses: the sandbox's folder moves to /tmp, the unsandboxed worker keeps TCP."""
    import shutil

    from trafficking_course.grading.course import Course
    from trafficking_course.grading.run.autograde import _worker_config

    from .conftest import ROOT

    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    short = sandbox.runtime_folder(str(tmp_path)) if sandbox.fits_socket(
        tmp_path / "course-sandbox-xxxxxxxx" / "kernel") else None
    moved = sandbox.runtime_folder(str(deep))
    try:
        assert moved.parent == Path("/tmp") and sandbox.fits_socket(moved / "kernel")
        if short is not None:
            assert short.parent == tmp_path
    finally:
        for folder in (moved, short):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
    shutil.copy2(ROOT / "exercises" / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    course = Course(tmp_path)
    assert _worker_config(course, 30, False, str(tmp_path)).KernelManager.transport == "ipc"
    assert "transport" not in _worker_config(course, 30, False, str(deep)).KernelManager
