"""Answers as plain data: what may cross between a student's kernel and the trusted tests.

A test asks the student's kernel for the value of a name or for the result of calling one of
the student's functions (trusted.py). What comes back is JSON: null, booleans, numbers,
strings, lists, and objects that are always a tag {"$": kind, ...} for the few richer values
a course answer may be: tuple, dict (any plain keys), set, a numpy scalar or array, a pandas
Index, Series or DataFrame, and a course chart (trafficking_course.plots.CourseFigure, which
crosses as its facts: title, source, alt text, axis labels, bar heights).

`encode` runs in the kernel and refuses what is not exactly one of these types: a subclass of
int, str or pandas.Series (whose `==` or `abs` could say anything) is not plain, whatever it
claims. `decode` runs on the trusted side and builds fresh objects of exactly these types from
the JSON, checking every tag and field; it never calls anything the kernel sent. Whatever code
runs in the kernel can only choose the data it answers with, as an honest answer could.

This module is imported by the student's kernel (`respond`): it imports nothing of the course
but itself, and numpy and pandas only when a value needs them.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

MAX_DEPTH = 40
MAX_ITEMS = 2_000_000
MAX_CHARS = 16_000_000
_DTYPE = re.compile(r"^[A-Za-z0-9_\[\], :]{1,40}$")
_TAGS = {
    "float": {"value"}, "na": set(), "tuple": {"items"}, "list": {"items"},
    "dict": {"items"}, "set": {"items"}, "frozenset": {"items"}, "numpy": {"dtype", "value"},
    "ndarray": {"dtype", "items"},
    "index": {"names", "items", "dtype"}, "series": {"name", "index", "values", "dtype"},
    "frame": {"columns", "index", "data", "dtypes"},
    "figure": {"title", "source", "alt_text", "xlabel", "ylabel", "axes_title", "bars"},
}


class NotPlain(ValueError):
    """A value that cannot cross as plain data; the message says what it is."""


def describe(value: Any) -> str:
    cls = type(value)
    name = f"{cls.__module__}.{cls.__qualname__}" if cls.__module__ != "builtins" \
        else cls.__qualname__
    for base in (bool, int, float, str, list, tuple, dict, set):
        if cls is not base and isinstance(value, base):
            return f"a {name} (a subclass of {base.__name__})"
    return f"a {name}"


# -- in the kernel: from the answer to JSON ------------------------------------------------
def _numpy_scalars() -> set[type]:
    np = sys.modules.get("numpy")
    if np is None:
        return set()
    names = ("bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
             "uint64", "float16", "float32", "float64", "str_")
    return {getattr(np, n) for n in names if hasattr(np, n)}


class _Encoder:
    def __init__(self) -> None:
        self.items = 0
        self.numpy = sys.modules.get("numpy")
        self.pandas = sys.modules.get("pandas")
        self.scalars = _numpy_scalars()

    def __call__(self, value: Any, depth: int = 0) -> Any:
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            raise NotPlain("nested too deeply or too large")
        cls = type(value)
        if value is None or cls in (bool, int, str):
            return value
        for kind in (self.builtin, self.array, self.table):
            found = kind(value, cls, depth)
            if found is not None:
                return found
        if cls.__name__ == "CourseFigure" and cls.__module__ == "trafficking_course.plots":
            return self.figure(value)
        raise NotPlain(describe(value))

    def builtin(self, value: Any, cls: type, depth: int) -> Any:
        if cls is float:
            return value if math.isfinite(value) else {"$": "float", "value": repr(value)}
        if cls is list:
            return [self(v, depth + 1) for v in value]
        if cls in (tuple, set, frozenset):
            items = sorted(value, key=repr) if cls is not tuple else value
            return {"$": cls.__name__, "items": [self(v, depth + 1) for v in items]}
        if cls is dict:
            return {"$": "dict", "items": [[self(k, depth + 1), self(v, depth + 1)]
                                           for k, v in value.items()]}
        return None

    def array(self, value: Any, cls: type, depth: int) -> Any:
        if cls in self.scalars:
            item = value.item()
            if isinstance(item, float) and not math.isfinite(item):
                item = repr(item)
            return {"$": "numpy", "dtype": str(value.dtype), "value": item}
        if self.numpy is not None and cls is self.numpy.ndarray:
            return {"$": "ndarray", "dtype": str(value.dtype),
                    "items": self(value.tolist(), depth + 1)}
        return None

    def table(self, value: Any, cls: type, depth: int) -> Any:
        pandas = self.pandas
        if pandas is None:
            return None
        if value is pandas.NA:
            return {"$": "na"}
        if cls in (pandas.Index, pandas.MultiIndex, pandas.RangeIndex):
            return self.index(value, depth)
        if cls is pandas.Series:
            return {"$": "series", "name": self(value.name, depth + 1),
                    "index": self.index(value.index, depth + 1),
                    "values": self(_python(value.tolist()), depth + 1),
                    "dtype": str(value.dtype)}
        if cls is pandas.DataFrame:
            return {"$": "frame", "columns": self.index(value.columns, depth + 1),
                    "index": self.index(value.index, depth + 1),
                    "data": [self(_python(value[c].tolist()), depth + 1)
                             for c in value.columns],
                    "dtypes": [str(t) for t in value.dtypes]}
        return None

    def index(self, index: Any, depth: int) -> dict:
        pandas = self.pandas
        if pandas is None or type(index) not in (pandas.Index, pandas.MultiIndex,
                                                 pandas.RangeIndex):
            raise NotPlain(f"an index that is {describe(index)}")
        items = [list(t) if isinstance(t, tuple) else t for t in index.tolist()]
        return {"$": "index", "names": [self(n, depth + 1) for n in index.names],
                "items": self(_python(items), depth + 1), "dtype": str(index.dtype)}

    def figure(self, fig: Any) -> dict:
        ax = fig.ax
        bars = [[float(p.get_height()) for p in c] for c in getattr(ax, "containers", [])
                if hasattr(c, "patches")]
        text = {k: str(getattr(fig, k, "") or "") for k in ("title", "source", "alt_text")}
        return {"$": "figure", **text, "xlabel": str(ax.get_xlabel()),
                "ylabel": str(ax.get_ylabel()), "axes_title": str(ax.get_title()),
                "bars": bars}


def _python(items: list) -> list:
    """tolist() of an object column may hold numpy scalars; make them Python's own."""
    scalars = _numpy_scalars()
    out = []
    for v in items:
        if type(v) in scalars:
            v = v.item()
        elif isinstance(v, list):
            v = _python(v)
        out.append(v)
    return out


def encode(value: Any) -> Any:
    """The JSON form of `value`; NotPlain if it is not exactly a plain type."""
    return _Encoder()(value)


def dumps(value: Any) -> str:
    return json.dumps(encode(value), allow_nan=False, separators=(",", ":"))


# -- on the trusted side: from JSON to fresh objects ------------------------------------------
class FigureFacts:
    """A course chart as the trusted tests see it: its facts, no drawing.

    Offers what the course's chart tests read: `title`, `source`, `alt_text` and `ax` with
    `get_title()`, `get_xlabel()`, `get_ylabel()` and `containers` (bar groups of bars with
    `get_height()`)."""

    def __init__(self, title: str, source: str, alt_text: str, ax: AxesFacts) -> None:
        self.title, self.source, self.alt_text, self.ax = title, source, alt_text, ax

    def __repr__(self) -> str:
        return f"Figure: {self.title}"


class AxesFacts:
    def __init__(self, title: str, xlabel: str, ylabel: str,
                 containers: list[list[BarFacts]]) -> None:
        self._title, self._xlabel, self._ylabel = title, xlabel, ylabel
        self.containers = containers

    def get_title(self) -> str:
        return self._title

    def get_xlabel(self) -> str:
        return self._xlabel

    def get_ylabel(self) -> str:
        return self._ylabel


class BarFacts:
    def __init__(self, height: float) -> None:
        self._height = height

    def get_height(self) -> float:
        return self._height


def _dtype(text: Any) -> str:
    if type(text) is not str or not _DTYPE.match(text):
        raise NotPlain(f"an unreadable dtype {str(text)[:40]!r}")
    return text


def _str(value: Any) -> str:
    if type(value) is not str:
        raise NotPlain("a chart whose texts are not strings")
    return value


class _Decoder:
    def __init__(self) -> None:
        self.items = 0

    def __call__(self, data: Any, depth: int = 0) -> Any:
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            raise NotPlain("nested too deeply or too large")
        cls = type(data)
        if data is None or cls in (bool, int, float, str):
            return data
        if cls is list:
            return [self(v, depth + 1) for v in data]
        if cls is not dict:
            raise NotPlain(f"unexpected JSON {cls.__name__}")
        tag = data.get("$")
        if type(tag) is not str or tag not in _TAGS or set(data) != _TAGS[tag] | {"$"}:
            raise NotPlain("an unknown kind of value")
        return getattr(self, f"_{tag}")(data, depth + 1)

    def _list_of(self, data: Any, depth: int) -> list:
        if type(data) is not list:
            raise NotPlain("a malformed value")
        return [self(v, depth) for v in data]

    def _float(self, data: dict, depth: int) -> float:
        if data["value"] not in ("nan", "inf", "-inf"):
            raise NotPlain("a malformed float")
        return float(data["value"])

    def _na(self, data: dict, depth: int) -> Any:
        import pandas as pd

        return pd.NA

    def _tuple(self, data: dict, depth: int) -> tuple:
        return tuple(self._list_of(data["items"], depth))

    def _list(self, data: dict, depth: int) -> list:
        return self._list_of(data["items"], depth)

    def _set(self, data: dict, depth: int) -> set:
        try:
            return set(self._list_of(data["items"], depth))
        except TypeError:
            raise NotPlain("a set of unhashable values") from None

    def _frozenset(self, data: dict, depth: int) -> frozenset:
        return frozenset(self._set(data, depth))

    def _dict(self, data: dict, depth: int) -> dict:
        out = {}
        for pair in self._list_of(data["items"], depth):
            if type(pair) is not list or len(pair) != 2:
                raise NotPlain("a malformed dict")
            try:
                out[pair[0]] = pair[1]
            except TypeError:
                raise NotPlain("a dict with an unhashable key") from None
        return out

    def _numpy(self, data: dict, depth: int) -> Any:
        import numpy as np

        dtype = np.dtype(_dtype(data["dtype"]))
        if dtype.kind not in "biufU":
            raise NotPlain(f"a numpy scalar of dtype {dtype}")
        value = self(data["value"], depth)
        if type(value) is str and dtype.kind == "f":
            if value not in ("nan", "inf", "-inf"):
                raise NotPlain("a malformed float")
            value = float(value)
        if type(value) not in (bool, int, float, str):
            raise NotPlain("a malformed numpy scalar")
        return dtype.type(value)

    def _ndarray(self, data: dict, depth: int) -> Any:
        import numpy as np

        dtype = np.dtype(_dtype(data["dtype"]))
        if dtype.kind not in "biufUO":
            raise NotPlain(f"an array of dtype {dtype}")
        try:
            return np.array(self(data["items"], depth), dtype=dtype)
        except (TypeError, ValueError):
            raise NotPlain("a malformed array") from None

    def _index(self, data: dict, depth: int) -> Any:
        import pandas as pd

        names = self._list_of(data["names"], depth)
        items = self._list_of(data["items"], depth)
        try:
            if len(names) > 1:
                return pd.MultiIndex.from_tuples([tuple(t) for t in items], names=names)
            return pd.Index(items, name=names[0] if names else None,
                            dtype=_dtype(data["dtype"]))
        except (TypeError, ValueError, IndexError):
            raise NotPlain("a malformed index") from None

    def _series(self, data: dict, depth: int) -> Any:
        import pandas as pd

        index = self._index_of(data["index"], depth)
        try:
            return pd.Series(self._list_of(data["values"], depth), index=index,
                             name=self(data["name"], depth), dtype=_dtype(data["dtype"]))
        except (TypeError, ValueError):
            raise NotPlain("a malformed Series") from None

    def _frame(self, data: dict, depth: int) -> Any:
        import pandas as pd

        columns = self._index_of(data["columns"], depth)
        index = self._index_of(data["index"], depth)
        cols = self._list_of(data["data"], depth)
        dtypes = [_dtype(t) for t in self._list_of(data["dtypes"], depth)]
        if len(cols) != len(columns) or len(dtypes) != len(columns):
            raise NotPlain("a malformed DataFrame")
        try:
            frame = pd.DataFrame({i: pd.Series(c, index=index, dtype=t)
                                  for i, (c, t) in enumerate(zip(cols, dtypes, strict=True))})
            frame.columns = columns
            return frame
        except (TypeError, ValueError):
            raise NotPlain("a malformed DataFrame") from None

    def _index_of(self, data: Any, depth: int) -> Any:
        if type(data) is not dict or data.get("$") != "index":
            raise NotPlain("a malformed index")
        return self(data, depth)

    def _figure(self, data: dict, depth: int) -> FigureFacts:
        bars = []
        for group in self._list_of(data["bars"], depth):
            if type(group) is not list or any(type(h) not in (int, float) for h in group):
                raise NotPlain("a chart with malformed bars")
            bars.append([BarFacts(float(h)) for h in group])
        ax = AxesFacts(_str(data["axes_title"]), _str(data["xlabel"]), _str(data["ylabel"]),
                       bars)
        return FigureFacts(_str(data["title"]), _str(data["source"]), _str(data["alt_text"]),
                           ax)


def decode(data: Any) -> Any:
    """Fresh objects of exactly the plain types from JSON `data`; NotPlain if malformed."""
    return _Decoder()(data)


def loads(text: str) -> Any:
    if type(text) is not str or len(text) > MAX_CHARS:
        raise NotPlain("an answer too large to read")
    try:
        return decode(json.loads(text))
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, NotPlain):
            raise
        raise NotPlain("unreadable data") from None


# -- in the kernel: the answers to the trusted runner's questions ----------------------------
def _answer_name(ns: dict, name: str) -> dict:
    if name not in ns:
        return {"kind": "missing"}
    value = ns[name]
    if callable(value) and not isinstance(value, type) and type(value).__name__ != \
            "CourseFigure":
        return {"kind": "function"}
    try:
        return {"kind": "value", "data": encode(value)}
    except NotPlain as exc:
        return {"kind": "not_plain", "why": str(exc)}


def _call(ns: dict, request: dict) -> dict:
    func = ns.get(request["name"])
    if func is None or not callable(func):
        return {"kind": "missing"}
    args = decode(request["args"])
    kwargs = decode(request["kwargs"])
    try:
        value = func(*args, **kwargs)
    except BaseException as exc:  # noqa: BLE001 - the student's code: any error is an answer
        return {"kind": "error", "ename": type(exc).__name__}
    try:
        return {"kind": "value", "data": encode(value)}
    except NotPlain as exc:
        return {"kind": "not_plain", "why": str(exc)}


def respond(request: str) -> str:
    """Answer one question of the trusted runner in the kernel (called through IPython's
    user_expressions): {"op": "names", "names": [...]} or {"op": "call", "name": ...,
    "args": ..., "kwargs": ...}."""
    from IPython import get_ipython

    ns = get_ipython().user_ns
    question = json.loads(request)
    if question["op"] == "names":
        answer: Any = {n: _answer_name(ns, n) for n in question["names"]}
    else:
        answer = _call(ns, question)
    return json.dumps(answer, allow_nan=False, separators=(",", ":"))
