"""The trusted test runner on its own: what crosses from the kernel, and what a test sees.

The codec (what may cross as plain data) is tested without a kernel; the runner with a plain
local kernel (no sandbox, no nbgrader run): the sandboxed, real-command runs are in
test_grading_hostile.py.
"""

from __future__ import annotations

import json

import nbformat
import numpy as np
import pandas as pd
import pytest

from trafficking_course.grading.isolation import codec
from trafficking_course.grading.isolation.trusted import TrustedExecute, free_names


def _roundtrip(value):
    return codec.loads(codec.dumps(value))


def test_plain_values_cross_with_their_exact_types():
    assert _roundtrip(True) is True and type(_roundtrip(1)) is int
    assert _roundtrip({"acts": ["recruitment"], (1, 2): None, 3: {1.5}}) == \
        {"acts": ["recruitment"], (1, 2): None, 3: {1.5}}
    assert type(_roundtrip((1, "a"))) is tuple
    assert type(_roundtrip(np.int64(3))) is np.int64
    series = pd.Series([1.5, None], index=pd.Index([2018, 2024], name="edition"),
                       dtype="Float64", name="share")
    back = _roundtrip(series)
    assert type(back) is pd.Series and back.name == "share" and back.dtype == "Float64"
    assert back.index.tolist() == [2018, 2024] and back.index.name == "edition"
    assert back[2018] == 1.5 and back[2024] is pd.NA
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert _roundtrip(frame).equals(frame)
    assert np.isnan(_roundtrip(float("nan")))


def test_a_subclass_or_an_object_of_the_students_own_is_not_plain():
    class Word(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    class Count(int):
        pass

    for liar in (Word("smuggling"), Count(0), [1, Count(2)], {"a": Word("x")}, object(),
                 pd.Series([Word("x")], dtype=object)):
        with pytest.raises(codec.NotPlain):
            codec.encode(liar)


def test_malformed_data_from_a_kernel_is_refused_not_trusted():
    for text in ('{"$": "eval", "items": []}', '{"$": "tuple"}',
                 '{"$": "tuple", "items": [], "extra": 1}', '{"a": 1}',
                 '{"$": "numpy", "dtype": "object", "value": 1}',
                 '{"$": "series", "name": null, "index": 1, "values": [], "dtype": "int64"}',
                 '{"$": "dict", "items": [[[1], 2]]}', "not json"):
        with pytest.raises(codec.NotPlain):
            codec.loads(text)


def test_the_names_a_test_reads_from_the_kernel_are_those_it_does_not_bind():
    source = ("import builtins as _b\nfrom itertools import product as _p\n\n"
              "def _check(case):\n    got = f(case)\n    assert got == want(case), case\n\n"
              "for _v in _p((0, 1), repeat=2):\n    _check(_b.list(_v))\n"
              "assert answer > 0 and len([1]) == 1\n")
    assert free_names(source) == {"f", "want", "answer"}


def _cell(source: str, gid: str, test: bool) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": test, "solution": not test, "grade_id": gid,
                                 "locked": test, "schema_version": 3,
                                 **({"points": 1} if test else {})}
    return cell


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One notebook through the runner with a local kernel: each test cell's outputs."""
    answers = (
        "import sys\n"
        "def slow(x):\n    while True:\n        pass\n"
        "def fails(x):\n    raise KeyError('the hidden input was ' + repr(x))\n"
        "class Mine:\n    pass\n"
        "def odd(x):\n    return Mine()\n"
        "def chatty(x):\n    print('SEEN', x)\n    sys.stderr.write('ERR ' + repr(x))\n"
        "    get_ipython().displayhook(1.0)\n    return x * 2\n"
        "value = 1\n"
    )
    cells = [
        _cell(answers, "a1", test=False),
        _cell("assert slow(1) == 1", "t_timeout", test=True),
        _cell("assert chatty(21) == 42\nassert value == 2, 'the last value'", "t_after",
              test=True),
        _cell("assert fails({'secret': 7}) == 1", "t_raises", test=True),
        _cell("assert odd(1) == 1", "t_odd", test=True),
        _cell("assert missing == 1", "t_missing", test=True),
        _cell("value = 2\nprint('a later answer cell')", "a2", test=False),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    ep = TrustedExecute(timeout=60, call_timeout=3)
    nb, _ = ep.preprocess(nb, {"metadata": {"path": str(tmp_path_factory.mktemp("run"))}})
    return {c.metadata["nbgrader"]["grade_id"]: c.outputs for c in nb.cells}


def _error(outputs) -> dict:
    assert len(outputs) == 1 and outputs[0].output_type == "error", outputs
    return outputs[0]


def test_a_call_that_never_returns_fails_only_its_own_test(graded):
    err = _error(graded["t_timeout"])
    assert err.ename == "CellTimeoutError" and "within 3 s" in err.evalue
    assert graded["t_after"] == []  # the kernel was interrupted and answers again


def test_a_test_sees_the_final_values_and_nothing_the_call_printed(graded):
    assert graded["t_after"] == []  # value == 2: set by the later answer cell
    text = json.dumps(graded)
    assert "SEEN" not in text and "ERR" not in text and "execute_result" not in text
    assert "a later answer cell" in text  # the student's own cell keeps its output


def test_an_exception_in_the_students_code_shows_its_type_only(graded):
    err = _error(graded["t_raises"])
    assert err.ename == "KeyError" and err.evalue == "fails() raised KeyError"
    assert "the hidden input was" not in json.dumps(err)  # the student's message
    assert any("Cell In[1], line 1" in line for line in err.traceback)


def test_a_result_that_is_not_plain_and_a_missing_name_fail_clearly(graded):
    err = _error(graded["t_odd"])
    assert err.ename == "NotPlainAnswer" and "odd() returned a value that is not plain" in \
        err.evalue
    err = _error(graded["t_missing"])
    assert err.ename == "NameError" and "'missing' is not defined" in err.evalue
