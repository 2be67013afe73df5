"""A table of Global Report shares reads as its sources give them: words, not codes; a rough
share marked 'about'; a share not found left empty, never a zero."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from trafficking_course import datasets
from trafficking_course.errors import DataError

CODE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def _shown() -> pd.DataFrame:
    forms = datasets.load("glotip_victims_by_form")
    return datasets.readable(datasets.share_table(forms, "form", ["edition", "data_years"]))


def test_the_forms_table_marks_the_rough_share_and_shows_no_code():
    shown = _shown()
    text = shown.to_string() + " ".join(map(str, shown.index.names))
    assert not CODE.findall(text), CODE.findall(text)
    assert shown.loc["forced labour", (2018, "2016")] == "about 34"   # "one victim out of three"
    assert shown.loc["sexual exploitation", (2018, "2016")] == "59"
    assert shown.loc["forced criminal activity", (2022, "2020")] == "10"
    assert shown.index.name == "Form of exploitation"
    assert shown.columns.names == ["Global Report edition", "Data year(s)"]


def test_a_share_not_found_is_empty_not_zero():
    shown = _shown()
    assert shown.loc["sexual exploitation", (2024, "2022")] == ""
    assert "0" not in set(shown.to_numpy().ravel())


def test_a_missing_column_names_the_field():
    with pytest.raises(DataError, match="share_percent"):
        datasets.share_table(pd.DataFrame({"form": ["x"], "edition": [1]}), "form", ["edition"])
