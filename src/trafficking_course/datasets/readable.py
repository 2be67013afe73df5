"""Tables as students read them: readable column names and values, never a code.

    from trafficking_course import datasets
    datasets.readable(datasets.load("glotip_victims_by_form"))

Column names come from the data package's field titles (data/datapackage.json), or from the
labels below; a code value (forced_criminal_activity, convention_and_both_protocols) becomes
its label, or its words; a source id becomes its publisher and year. The frame's own data is
unchanged: readable() returns a copy for display, so code keeps using the column names.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from trafficking_course.datasets.registry import package, sources_table

#: Columns without a title in the data package, and the summaries' own columns.
COLUMN_LABELS: dict[str, str] = {
    "share_percent": "Share (%)",
    "change_percent": "Change (%)",
    "baseline_year": "Compared with",
    "year": "Year",
    "year_end": "Until",
    "month": "Month",
    "day": "Day",
    "date": "Date",
    "event": "Event",
    "instrument": "Instrument",
    "parties": "States parties",
    "measure": "Measure",
    "category": "Category",
    "count": "Number",
    "group": "Group",
    "group_kind": "Kind of group",
    "form": "Form of exploitation",
    "records": "Records",
    "citizenship": "Citizenship",
    "data": "Data",
    "change": "Change",
    "detection_rate": "Detection rate",
    "detected": "Detected",
    # CTDC case records (their own camelCase names)
    "gender": "Gender",
    "ageBroad": "Age band",
    "CountryOfExploitation": "Country of exploitation",
    "traffickMonths": "Time in the situation",
}

#: Code values in the data, as students read them (others: their words, "_" as spaces).
VALUE_LABELS: dict[str, str] = {
    "convention_and_both_protocols": "UN Convention and both Protocols",
    "trafficking_protocol": "Trafficking Protocol",
    "smuggling_protocol": "Smuggling Protocol",
    "sex_and_age": "sex and age",
    "rosa_contacts": "contacts with ROSA",
    "rosa_shelter_taken_up": "ROSA shelter places taken up",
    "convictions_since_2003": "convictions since 2003",
}

CODE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")


def _titles(root: Path | None) -> dict[str, str]:
    titles: dict[str, str] = {}
    for res in package(root).get("resources", []):
        for f in res.get("schema", {}).get("fields", []):
            if f.get("title") and f["name"] not in titles and f["name"] != "source_id":
                titles[f["name"]] = f["title"]
    return {**titles, "source_id": "Source"}


def readable_value(value: Any) -> Any:
    """A code value as words; anything else unchanged."""
    if isinstance(value, str) and CODE.match(value):
        return VALUE_LABELS.get(value, value.replace("_", " "))
    return value


def readable_name(name: Any, titles: dict[str, str]) -> Any:
    """A column's name: the general label first (a title can be one table's), then the
    data package's title, then its words."""
    if not isinstance(name, str):
        return name
    return COLUMN_LABELS.get(name) or titles.get(name) or readable_value(name)


def _source_names(root: Path | None) -> dict[str, str]:
    """Source id -> "UNODC (2024)": the publisher's short name (in brackets) and the year."""
    names: dict[str, str] = {}
    for sid, row in sources_table(root).iterrows():
        short = re.search(r"\(([^()]+)\)\s*$", str(row.publisher))
        who = short.group(1) if short else row.publisher
        names[str(sid)] = f"{who} ({int(row.year)})" if pd.notna(row.year) else str(who)
    return names


def _is_text(dtype: Any) -> bool:
    return str(dtype) in ("object", "string", "str", "category")


def _rename_axis(index: pd.Index, titles: dict[str, str]) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        levels: list[Any] = [lvl.map(readable_value) if _is_text(lvl.dtype) else lvl
                             for lvl in index.levels]
        index = index.set_levels(levels)
    elif _is_text(index.dtype):
        index = index.map(readable_value)
    return index.set_names([readable_name(n, titles) for n in index.names])


def readable(frame: pd.DataFrame | pd.Series, root: Path | None = None) -> pd.DataFrame:
    """A copy of a table (or series) to show students: readable names and values."""
    table = frame.to_frame() if isinstance(frame, pd.Series) else frame.copy()
    titles = _titles(root)
    if "source_id" in table.columns:
        names = _source_names(root)
        table["source_id"] = table["source_id"].map(lambda s: names.get(s, s))
    for column in table.columns:
        if _is_text(table[column].dtype):
            table[column] = table[column].map(readable_value)
    table.index = _rename_axis(table.index, titles)
    if isinstance(table.columns, pd.MultiIndex):
        table.columns = _rename_axis(table.columns, titles)
    else:
        table.columns = pd.Index([readable_name(c, titles) for c in table.columns],
                                 name=readable_name(table.columns.name, titles))
    return table
