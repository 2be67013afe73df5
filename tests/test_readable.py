"""Tables shown to students read as words: no code name in a column, an index or a value."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from trafficking_course import datasets

CODE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def _codes(table: pd.DataFrame) -> set[str]:
    text = table.to_string() + " ".join(map(str, table.index.names)) + \
        " ".join(map(str, table.columns.names))
    return set(CODE.findall(text))


@pytest.mark.parametrize("name", [n for n in datasets.resource_names()
                                  if n not in ("sources", datasets.SYNTHETIC_SAMPLE)])
def test_every_aggregate_table_reads_without_codes(name):
    raw = datasets.load(name)
    assert _codes(raw), f"{name}: the raw table has no code, so this test could not fail"
    assert not _codes(datasets.readable(raw)), _codes(datasets.readable(raw))


def test_pivot_and_summaries_read_without_codes():
    forms = datasets.load("glotip_victims_by_form")
    pivot = forms.pivot_table(index="form", columns=["edition", "data_years"],
                              values="share_percent")
    shown = datasets.readable(pivot)
    assert "forced criminal activity" in shown.index
    assert shown.index.name == "Form of exploitation"
    assert shown.columns.names == ["Global Report edition", "Data year(s)"]
    records = datasets.load_ctdc(datasets.resource_path(datasets.SYNTHETIC_SAMPLE))
    for table in (datasets.share_by_group(records),
                  datasets.form_shares(records, by=datasets.sex_age_group(records))):
        assert not _codes(datasets.readable(table))


def test_readable_keeps_the_data_and_names_sources():
    milestones = datasets.load("protocol_milestones")
    shown = datasets.readable(milestones)
    assert list(milestones.columns)[0] == "year"          # the original is unchanged
    assert len(shown) == len(milestones)
    assert "UN Convention and both Protocols" in set(shown["Instrument"])
    assert not shown["Source"].str.contains(r"^[a-z0-9-]+$").any()   # no source id left
