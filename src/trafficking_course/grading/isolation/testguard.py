"""Runs inside a student's kernel (sent as source text by guard.GuardedExecute).

Before the first cell, `install()` takes a snapshot of what a student's cell could change to
alter a later test's verdict (builtins, IPython's event callbacks, the classes of the shell and
the kernel, sys.excepthook and the import machinery) and registers `reset` and `forget` in
sys.modules[GUARD]. Before each test cell the grader calls `reset()`: input transformers, AST
transformers, custom exception handlers, trace and profile functions, patched builtins and
patched shell or kernel methods go back to what they were. After each test cell it calls
`forget()`: the test's source leaves linecache, IPython's last result and the last traceback.
Test cells themselves run with store_history=False, so they never reach `In`, `_ih`, `_i`
or the history database.

This module is never imported in the kernel; nothing in it may depend on the course package.
"""

from __future__ import annotations

import builtins
import contextlib
import gc
import linecache
import sys
import threading
import types
from typing import Any

GUARD = "_course_test_guard"
_KEPT = ("events", "compile", "displayhook", "display_pub", "history_manager")


def _shadows_method(ip: Any, name: str, value: Any) -> bool:
    return callable(value) and callable(getattr(type(ip), name, None))


def _transforms(manager: Any) -> tuple[list, list, list]:
    return (list(manager.cleanup_transforms), list(manager.line_transforms),
            list(manager.token_transformers))


def _classes(ip: Any) -> list[type]:
    """The shell's, the kernel's and their helpers' classes (and their bases)."""
    roots = [type(ip), type(ip.compile), type(ip.input_transformer_manager), type(ip.events),
             type(ip.displayhook)]
    kernel = getattr(ip, "kernel", None)
    if kernel is not None:
        roots.append(type(kernel))
    seen: list[type] = []
    for root in roots:
        for cls in root.__mro__:
            if cls is not object and cls not in seen:
                seen.append(cls)
    return seen


def _restore_class(cls: type, saved: dict[str, Any]) -> None:
    current = dict(vars(cls))
    for name, value in saved.items():
        if current.get(name) is not value:
            with contextlib.suppress(AttributeError, TypeError):
                setattr(cls, name, value)
    for name in set(current) - set(saved):
        with contextlib.suppress(AttributeError, TypeError):
            delattr(cls, name)


def _restore_dict(target: dict, saved: dict) -> None:
    for name in set(target) - set(saved):
        del target[name]
    target.update(saved)


def _snapshot(ip: Any) -> dict[str, Any]:
    return {
        "builtins": dict(vars(builtins)),
        "events": {name: list(cbs) for name, cbs in ip.events.callbacks.items()},
        "classes": {cls: dict(vars(cls)) for cls in _classes(ip)},
        "shell": {name: value for name, value in vars(ip).items()
                  if name in _KEPT or _shadows_method(ip, name, value)},
        "hooks": (sys.excepthook, sys.displayhook, list(sys.meta_path),
                  list(sys.path_hooks)),
        "transformers": (type(ip.input_transformer_manager),
                         _transforms(ip.input_transformer_manager),
                         list(ip.input_transformers_post), list(ip.ast_transformers)),
        "custom": (ip.custom_exceptions, ip.CustomTB),
    }


def _reset(ip: Any, saved: dict[str, Any], state: dict[str, Any]) -> None:
    sys.settrace(None)
    threading.settrace(None)
    sys.setprofile(None)
    threading.setprofile(None)
    _restore_dict(vars(builtins), saved["builtins"])
    for cls, attrs in saved["classes"].items():
        _restore_class(cls, attrs)
    for name, value in list(vars(ip).items()):
        if _shadows_method(ip, name, value) and name not in saved["shell"]:
            vars(ip).pop(name, None)  # a method patched on the instance
    vars(ip).update(saved["shell"])
    manager, transforms, post, ast_transformers = saved["transformers"]
    ip.input_transformer_manager = fresh = manager()
    fresh.cleanup_transforms, fresh.line_transforms, fresh.token_transformers = \
        (list(t) for t in transforms)
    ip.input_transformers_post = list(post)
    ip.ast_transformers = list(ast_transformers)
    ip.custom_exceptions, ip.CustomTB = saved["custom"]
    for name, cbs in saved["events"].items():
        ip.events.callbacks[name] = list(cbs)
    excepthook, displayhook, meta_path, path_hooks = saved["hooks"]
    sys.excepthook, sys.displayhook = excepthook, displayhook
    sys.meta_path[:] = meta_path
    sys.path_hooks[:] = path_hooks
    state["lines"] = set(linecache.cache)


def _forget(ip: Any, state: dict[str, Any]) -> None:
    before = state.get("lines", set())
    for name in set(linecache.cache) - before:
        linecache.cache.pop(name, None)
    ip.last_execution_result = None
    for name in ("last_type", "last_value", "last_traceback", "last_exc"):
        if hasattr(sys, name):
            setattr(sys, name, None)
    _collect()


def _collect() -> None:
    """Free what only reference cycles still hold (a failed test's frames), then freeze the
    survivors: the next collection scans only what was made since, not the whole kernel (a
    full collection of a kernel with the course loaded costs tens of milliseconds per test).
    Frozen objects are not in gc.get_objects() either."""
    gc.collect()
    gc.freeze()


def install() -> None:
    """Snapshot the kernel's pristine state; register reset() and forget()."""
    from IPython import get_ipython

    ip = get_ipython()
    _collect()
    saved = _snapshot(ip)
    state: dict[str, Any] = {}
    guard = types.ModuleType(GUARD)
    guard.reset = lambda: _reset(ip, saved, state)  # type: ignore[attr-defined]
    guard.forget = lambda: _forget(ip, state)  # type: ignore[attr-defined]
    sys.modules[GUARD] = guard
