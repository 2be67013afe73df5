"""Test cells run in the trusted grading process; the student's kernel only answers questions.

`TrustedExecute` replaces nbgrader's Execute preprocessor in autograde (the course's parallel
`make autograde` and nbgrader's own Autograde, which the formgrader's button runs; see
exercises/nbgrader_config.py):

1. Every cell that is not a test cell runs in the student's kernel (in its bubblewrap sandbox,
   sandbox.py), in order, as nbgrader would run it; its outputs are recorded as usual.
2. Then, with no student cell left to run, each test cell (visible and hidden tests alike) is
   executed here, in this process, in a fresh namespace with the grader's own Python,
   builtins, course package and data (TRAFFICKING_COURSE_DATA of the grader, never of the
   kernel). The names the test uses but does not define are asked of the kernel in one
   round trip: each comes back as plain data (codec.py: exact types, a subclass is refused),
   or as a student's function, which the test calls through a proxy: the arguments go to the
   kernel as plain data, the result comes back as plain data, each call within
   `call_timeout` seconds. What the student's code prints while a test calls it is never read.
3. The outcome is written back as the test cell's outputs: none when it passed, one error
   output when it failed (the failed assert and its message, a not-plain answer, an
   exception in the student's code (its type only), a timeout). nbgrader's SaveAutoGrades
   computes the grade from that, so no output the student's kernel produced can give
   partial credit to a test cell.

The test code never enters the kernel: nothing installed there (an audit hook, a trace
function, a thread, a patched builtin or jupyter_client class, an object whose `==` lies)
sees it or judges it. The hidden tests' inputs do reach the student's function, as they must;
they reach it after the last student cell has run, so no later cell can print them, and the
function's output during a test is discarded.

Tests see every answer as it is at the end of the notebook (a name assigned twice is tested
with its last value), and only as plain data; exercises/README.md says how to write tests for
this and what stays possible.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import re
import symtable
import time
from queue import Empty
from typing import Any

from jupyter_core.utils import ensure_async, run_sync
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

from trafficking_course.grading.isolation import codec
from trafficking_course.grading.rules import is_test_cell

CODEC = "trafficking_course.grading.isolation.codec"
#: Exception names a failure message may show: Python's own (a student's class name could
#: carry anything, even a hidden test's input stored by an earlier call).
_KNOWN_ERRORS = {n for n, v in vars(builtins).items()
                 if isinstance(v, type) and issubclass(v, BaseException)}
_KINDS = {"value", "function", "missing", "not_plain", "error"}
NOT_PLAIN = ("the grader reads answers as plain values only: numbers, text, True/False/None, "
             "lists, tuples, dicts and sets of them, numpy and pandas values, course charts; "
             "not an object of a class of your own, even a subclass of these")


class KernelUnavailable(RuntimeError):
    """The kernel died or stopped answering: every later test fails with this reason."""


class NoAnswer(RuntimeError):
    """The kernel answered, but not with readable plain data."""


class StudentCodeError(Exception):
    """The student's function raised an exception while a test called it; `ename` is its
    type's name when that is one of Python's own exceptions."""

    def __init__(self, message: str, ename: str = "Exception") -> None:
        super().__init__(message)
        self.ename = ename


class NotPlainAnswer(Exception):
    """An answer that is not plain data (see codec.py)."""


class CellTimeoutError(Exception):
    """A call into the student's code did not return in time."""


def configured_kernel_manager(pp: Execute) -> None:
    """nbgrader's Execute forces AsyncKernelManager through its constructor, over the
    configuration; honour `Execute.kernel_manager_class` (or the subclass's own section) from
    the configuration, which is how the course selects the sandbox."""
    for section in (type(pp).__name__, "Execute"):
        if section in pp.config and "kernel_manager_class" in pp.config[section]:
            pp.kernel_manager_class = pp.config[section]["kernel_manager_class"]
            return


def free_names(source: str) -> set[str]:
    """Names a test cell reads but never binds itself (not builtins): the student's answers."""
    table = symtable.symtable(source, "<test>", "exec")
    defined = {s.get_name() for s in table.get_symbols()
               if s.is_assigned() or s.is_imported() or s.is_namespace()}
    found: set[str] = set()

    def visit(t: symtable.SymbolTable, top: bool) -> None:
        for s in t.get_symbols():
            name = s.get_name()
            if not s.is_referenced():
                continue
            if (top and not (s.is_assigned() or s.is_imported())) or \
                    (not top and s.is_global()):
                found.add(name)
        for child in t.get_children():
            visit(child, False)

    visit(table, True)
    return {n for n in found - defined if not hasattr(builtins, n)}


class StudentFunction:
    """A student's function as a test sees it: called with plain data, answering plain data."""

    def __init__(self, runner: TrustedExecute, name: str) -> None:
        self._runner, self._name = runner, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._runner.call(self._name, args, kwargs)

    def __repr__(self) -> str:
        return f"<your function {self._name}>"


class TrustedExecute(Execute):
    """nbgrader's Execute, with every test cell run here instead of in the kernel (see the
    module docstring)."""

    call_timeout = Integer(0, help="seconds for one answer from the student's kernel (a value "
                                   "or a call); 0: the cell timeout").tag(config=True)
    reply_limit = Integer(codec.MAX_CHARS, help="characters of one answer, at most"
                          ).tag(config=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        configured_kernel_manager(self)
        self._tests: list[NotebookNode] = []
        self._unavailable = ""

    # -- the notebook -------------------------------------------------------------------------
    def preprocess_cell(self, cell, resources, index):
        self._check_assign_resources(resources)
        if index == 0:
            self._tests, self._unavailable = [], ""
        if is_test_cell(cell):
            cell.outputs, cell.execution_count = [], None
            self._tests.append(cell)
        else:
            cell = self.execute_cell(cell, index, store_history=True)
        if index == len(self.nb.cells) - 1:
            for test in self._tests:
                test.outputs = self.run_test(test)
        return cell, self.resources

    # -- one test cell --------------------------------------------------------------------------
    def run_test(self, cell: NotebookNode) -> list[NotebookNode]:
        """The outputs of one test cell run here: [] when it passed, else one error."""
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "test")
        filename = f"<test cell {gid}>"
        try:
            code = compile(cell.source, filename, "exec", dont_inherit=True)
            names = free_names(cell.source)
        except SyntaxError as exc:
            return [_error("SyntaxError", f"the test cell itself: {exc.msg}", [])]
        namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        try:
            namespace.update(self._answers(sorted(names)))
        except NotPlainAnswer as exc:
            return [_error("NotPlainAnswer", str(exc), [1], cell.source)]
        except (KernelUnavailable, NoAnswer) as exc:
            return [_error("GradingError", str(exc), [1], cell.source)]
        try:
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                exec(code, namespace)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - any failure of a test fails the cell
            lines = [tb.tb_lineno for tb in _frames(exc.__traceback__)
                     if tb.tb_frame.f_code.co_filename == filename]
            ename = type(exc).__name__
            if isinstance(exc, KernelUnavailable | NoAnswer):
                ename = "GradingError"
            elif isinstance(exc, StudentCodeError):
                ename = exc.ename  # "Your code raised KeyError ..." on the feedback page
            return [_error(ename, str(exc), lines, cell.source,
                           deeper=isinstance(exc, StudentCodeError | CellTimeoutError))]
        return []

    def _answers(self, names: list[str]) -> dict[str, Any]:
        if not names:
            return {}
        reply = self.ask({"op": "names", "names": names})
        if type(reply) is not dict or set(reply) != set(names):
            raise NoAnswer("the kernel's answer could not be read")
        found: dict[str, Any] = {}
        for name in names:
            answer = _checked(reply[name])
            kind = answer["kind"]
            if kind == "value":
                found[name] = _decoded(answer, f"`{name}`")
            elif kind == "function":
                found[name] = StudentFunction(self, name)
            elif kind == "not_plain":
                raise NotPlainAnswer(f"`{name}` is not a plain value: {NOT_PLAIN}")
        return found

    def call(self, name: str, args: tuple, kwargs: dict) -> Any:
        """Call the student's function `name` in the kernel; its plain result."""
        try:
            request = {"op": "call", "name": name, "args": codec.encode(list(args)),
                       "kwargs": codec.encode(dict(kwargs))}
        except codec.NotPlain as exc:
            raise TypeError(f"a test passes {exc} to {name}(): tests pass plain data") from None
        answer = _checked(self.ask(request, what=f"{name}()"))
        kind = answer["kind"]
        if kind == "value":
            return _decoded(answer, f"the result of {name}()")
        if kind == "error":
            ename = answer.get("ename")
            if ename in _KNOWN_ERRORS:
                raise StudentCodeError(f"{name}() raised {ename}", ename)
            raise StudentCodeError(f"{name}() raised an exception of its own class")
        if kind == "not_plain":
            raise NotPlainAnswer(f"{name}() returned a value that is not plain: {NOT_PLAIN}")
        raise NameError(f"name {name!r} is not defined")

    # -- one question to the kernel ---------------------------------------------------------------
    def _timeout(self) -> float:
        return float(self.call_timeout or self.timeout or 30)

    def ask(self, question: dict, what: str = "the answers") -> Any:
        """Send one question (codec.respond) and wait for its answer, parsed as JSON."""
        if self._unavailable:
            raise KernelUnavailable(self._unavailable)
        return run_sync(self._async_ask)(question, what)

    async def _async_ask(self, question: dict, what: str) -> Any:
        assert self.kc is not None
        expression = (f"__import__({CODEC!r}, fromlist=['respond'])"
                      f".respond({json.dumps(question, allow_nan=False)!r})")
        msg_id = self.kc.execute("", silent=True, store_history=False,
                                 user_expressions={"answer": expression})
        timeout = self._timeout()
        reply = await self._reply(msg_id, timeout)
        if reply is None:
            with contextlib.suppress(Exception):
                await ensure_async(self.km.interrupt_kernel())
            if await self._reply(msg_id, 10) is None:
                self._unavailable = (f"the kernel stopped responding after {what} ran past "
                                     f"{timeout:.0f} s")
            raise CellTimeoutError(f"{what} did not finish within {timeout:.0f} s")
        content = reply.get("content") or {}
        result = (content.get("user_expressions") or {}).get("answer") or {}
        text = (result.get("data") or {}).get("text/plain") if type(result) is dict else None
        if content.get("status") != "ok" or result.get("status") != "ok" or \
                type(text) is not str or len(text) > self.reply_limit + 2:
            raise NoAnswer("the kernel did not answer the grader (did a cell change IPython "
                           "or the course package in the kernel?)")
        try:
            return json.loads(ast.literal_eval(text))
        except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
            raise NoAnswer("the kernel's answer could not be read") from None

    async def _reply(self, msg_id: str, timeout: float) -> dict | None:
        assert self.kc is not None
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=min(left, 1.0)))
            except Empty:
                if not await ensure_async(self.kc.is_alive()):
                    self._unavailable = "the kernel died while the tests ran"
                    raise KernelUnavailable(self._unavailable) from None
                continue
            if (msg.get("parent_header") or {}).get("msg_id") == msg_id:
                return msg
        return None


def _frames(tb):
    while tb is not None:
        yield tb
        tb = tb.tb_next


def _checked(answer: Any) -> dict:
    if type(answer) is not dict or answer.get("kind") not in _KINDS:
        raise NoAnswer("the kernel's answer could not be read")
    return answer


def _decoded(answer: dict, what: str) -> Any:
    try:
        return codec.decode(answer.get("data"))
    except codec.NotPlain:
        raise NotPlainAnswer(f"{what} is not a plain value: {NOT_PLAIN}") from None


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _error(ename: str, evalue: str, lines: list[int], source: str = "", *,
           deeper: bool = False) -> NotebookNode:
    """An error output in IPython's traceback form ("Cell In[1], line N" per frame of the
    test cell, outermost first), which feedback.why_failed reads to tell a visible test's
    failure from a hidden one's."""
    text = source.splitlines()
    trace = [f"{'-' * 75}", f"{ename}{' ' * max(1, 42 - len(ename))}Traceback (the test, run "
             f"by the grader)"]
    for n in lines:
        shown = text[n - 1].strip() if 0 < n <= len(text) else ""
        trace.append(f"Cell In[1], line {n}\n----> {n} {shown}")
    if deeper:
        trace.append("File <your code>, in the function the test called")
    trace.append(f"{ename}: {evalue}" if evalue else ename)
    return new_output("error", ename=ename, evalue=_ANSI.sub("", evalue), traceback=trace)
