"""The registry of the course's datasets (data/datapackage.json) and `load(name)`.

Aggregate tables typed from sourced figures (UNODC Global Report editions, the Protocols,
Norway's coordination unit KOM): `load(name)` reads one and checks every cell against the types
and constraints that datapackage.json declares (tables.py), then its foreign keys into the
`sources` table. The synthetic CTDC teaching sample is a resource too; it is read by ctdc.py.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from trafficking_course.datasets.ctdc import SYNTHETIC_SAMPLE, load_ctdc
from trafficking_course.datasets.tables import read_text_table, validate_table
from trafficking_course.errors import DataError
from trafficking_course.paths import data_dir

PACKAGE_FILE = "datapackage.json"



# --------------------------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------------------------


def package_path(root: Path | None = None) -> Path:
    """Path of datapackage.json in the given data folder (default: paths.data_dir())."""
    return Path(root or data_dir()) / PACKAGE_FILE


@lru_cache(maxsize=8)
def _read_package(path: str, stamp: tuple[int, int]) -> dict:
    """The parsed descriptor; `stamp` (mtime, size) makes an edited file be read again."""
    p = Path(path)
    try:
        descriptor = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"not valid JSON: {exc}", file=p) from None
    names = [r.get("name") for r in descriptor.get("resources", [])]
    if not names or None in names:
        raise DataError("every resource needs a name", file=p, field="resources")
    return descriptor


def package(root: Path | None = None) -> dict:
    """The data package descriptor (a dict, as in datapackage.json)."""
    path = package_path(root)
    try:
        st = path.stat()
    except OSError:
        raise DataError("the data package descriptor is missing", file=path) from None
    return _read_package(str(path), (st.st_mtime_ns, st.st_size))


def resource_names(root: Path | None = None) -> list[str]:
    """Names of every dataset in the package, in the order of datapackage.json."""
    return [r["name"] for r in package(root)["resources"]]


def resource(name: str, root: Path | None = None) -> dict:
    """The descriptor of one resource: title, description, sources, licences, schema."""
    for r in package(root)["resources"]:
        if r["name"] == name:
            return r
    raise DataError(
        f"no dataset named {name!r}; known: {', '.join(resource_names(root))}",
        file=package_path(root), field="resources",
    )


def resource_path(name: str, root: Path | None = None) -> Path:
    """Where the file of a resource is."""
    return Path(root or data_dir()) / resource(name, root)["path"]


def sources_table(root: Path | None = None) -> pd.DataFrame:
    """The sources resource, indexed by source_id."""
    return load("sources", root=root).set_index("source_id")


def source_line(source_ids, root: Path | None = None) -> str:
    """A figure's source line for the given source id(s) (e.g. the source_id column).

    Titles from one publisher are joined: 'Source: UNODC, Global Report ... 2018; ... 2020'.
    """
    if isinstance(source_ids, str):
        source_ids = [source_ids]
    table = sources_table(root)
    by_publisher: dict[str, list[str]] = {}
    for sid in dict.fromkeys(source_ids):  # keep order, drop repeats
        if sid not in table.index:
            raise DataError(f"unknown source id {sid!r}", file=resource_path("sources", root),
                            field="source_id")
        row = table.loc[sid]
        year = "" if pd.isna(row["year"]) or str(int(row["year"])) in row["title"] else (
            f" ({int(row['year'])})")
        by_publisher.setdefault(row["publisher"], []).append(f"{row['title']}{year}")
    parts = [f"{publisher}, {'; '.join(titles)}" for publisher, titles in by_publisher.items()]
    return "Source: " + ". ".join(parts)


def load(name: str, *, root: Path | None = None) -> pd.DataFrame:
    """Load one dataset of the package, validated against its declared schema.

    >>> load("glotip_victims_by_form").columns[:3].tolist()
    ['edition', 'data_years', 'countries']
    """
    if name == SYNTHETIC_SAMPLE:
        return load_ctdc(resource_path(name, root))
    res = resource(name, root)
    path = resource_path(name, root)
    frame = validate_table(read_text_table(path), res["schema"], path=path)
    for fk in res["schema"].get("foreignKeys", []):
        column = fk["fields"]
        target = fk["reference"]["resource"]
        known = set(load(target, root=root)[fk["reference"]["fields"]].dropna())
        for i, v in enumerate(frame[column].tolist(), start=1):
            if not pd.isna(v) and v not in known:
                raise DataError(f"{v!r} is not a {fk['reference']['fields']} of {target}",
                                file=path, record=i, field=column)
    frame.attrs["resource"] = name
    frame.attrs["title"] = res.get("title", name)
    return frame


def validate_all(root: Path | None = None) -> dict[str, int]:
    """Load every dataset of the package; return the number of rows of each."""
    return {name: len(load(name, root=root)) for name in resource_names(root)}
