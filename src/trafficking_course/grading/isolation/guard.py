"""The old in-kernel path: test cells run in the student's kernel behind a reset guard.

`GuardedExecute` is what the course's autograde used before the tests moved out of the kernel
(trusted.py). It is kept only for `autograde --tests-in-kernel`, which shows what the guard
let through (tests/test_grading_hostile.py); nothing of the course configures it.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Unicode

from trafficking_course.grading.isolation.testguard import GUARD
from trafficking_course.grading.rules import is_test_cell

GUARD_SOURCE = Path(__file__).with_name("testguard.py")


class GuardedExecute(Execute):
    """nbgrader's Execute, with test cells run so that student code cannot read or sway them.

    Before the first cell, testguard.install() snapshots the kernel's pristine state. Before each
    test cell the kernel is reset to it (input and AST transformers, custom exception handlers,
    trace functions, builtins, patched shell and kernel methods, event callbacks); the test cell
    runs with store_history=False (not in In, _ih or the history database); afterwards its source
    leaves linecache, IPython's last result and the last traceback (in the test cell's own
    request when it passes, see preprocess_cell). The guard calls go through
    `user_expressions`, which IPython evaluates without input or AST transformers. If the reset
    fails, the test cell fails without running.

    nbgrader's Execute forces AsyncKernelManager through its constructor, over the configuration;
    this class honours `Execute.kernel_manager_class` (or `GuardedExecute.kernel_manager_class`)
    from the configuration, which is how the course's autograde selects the sandbox.
    """

    guard_failed_text = Unicode(
        "The grader could not reset the kernel before this test cell (did an earlier cell "
        "change IPython or Python itself?), so the test was not run."
    ).tag(config=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for section in (type(self).__name__, "Execute"):
            if section in self.config and "kernel_manager_class" in self.config[section]:
                self.kernel_manager_class = self.config[section]["kernel_manager_class"]
                break
        self._guarded: object = None
        self._ready = False  # the kernel was reset for the next test cell
        self._reply: dict = {}

    def _guard(self, expression: str) -> bool:
        assert self.kc is not None
        msg_id = self.kc.execute("", silent=True, store_history=False,
                                 user_expressions={"guard": expression})
        reply = self.wait_for_reply(msg_id)
        content = (reply or {}).get("content", {})
        result = content.get("user_expressions", {}).get("guard", {})
        return content.get("status") == "ok" and result.get("status") == "ok"

    def _install(self) -> bool:
        source = GUARD_SOURCE.read_text(encoding="utf-8")
        return self._guard(f"(lambda ns: (exec({source!r}, ns), ns['install']())[1])"
                           f"({{'__name__': 'course_test_guard'}})")

    def on_cell_executed(self, **kwargs: Any) -> None:
        super().on_cell_executed(**kwargs)
        self._reply = kwargs.get("execute_reply") or {}

    def _executes(self, cell) -> bool:
        """Whether nbclient sends this cell to the kernel (it skips the others)."""
        return cell.cell_type == "code" and bool(cell.source.strip()) and \
            self.skip_cells_with_tag not in cell.metadata.get("tags", [])

    def _next_is_test(self, index: int) -> bool:
        """Whether the next cell the kernel will run is a test cell."""
        return next((is_test_cell(c) for c in self.nb.cells[index + 1:] if self._executes(c)),
                    False)

    def _execute_then(self, cell, index: int, expression: str):
        """Run a test cell, then `expression` in the same request (user_expressions, which
        the kernel evaluates only if the cell succeeded); whether the expression ran."""
        assert self.kc is not None
        kc, send = self.kc, self.kc.execute
        kc.execute = functools.partial(send, user_expressions={"guard": expression})
        self._reply = {}
        try:
            cell = self.execute_cell(cell, index, store_history=False)
        finally:
            kc.execute = send
        content = self._reply.get("content", {})
        done = content.get("status") == "ok" and \
            content.get("user_expressions", {}).get("guard", {}).get("status") == "ok"
        return cell, done

    def preprocess_cell(self, cell, resources, index):
        """Reset before a test cell, forget after it. A forget and the next test's reset go
        with the test cell's own request when it passes (one round trip instead of three);
        when it fails the kernel skips them, and they are sent on their own."""
        self._check_assign_resources(resources)
        if self._guarded is not self.kc:
            self._guarded = self.kc if self._install() else None
            self._ready = False
        if not is_test_cell(cell):
            if self._executes(cell):
                self._ready = False
            return super().preprocess_cell(cell, resources, index)
        module = f"__import__('sys').modules[{GUARD!r}]"
        ready, self._ready = self._ready, False
        if self._guarded is None or not (ready or self._guard(f"{module}.reset()")):
            cell.outputs = [new_output("error", ename="GradingGuardError",
                                       evalue=self.guard_failed_text,
                                       traceback=[f"GradingGuardError: {self.guard_failed_text}"])]
            return cell, self.resources
        next_test = self._next_is_test(index)
        after = f"({module}.forget(), {module}.reset())" if next_test else f"{module}.forget()"
        cell, done = self._execute_then(cell, index, after)
        if not done:
            self._guard(f"{module}.forget()")
            self._ready = next_test and self._guard(f"{module}.reset()")
        else:
            self._ready = next_test
        return cell, self.resources
