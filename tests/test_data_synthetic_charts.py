"""A chart of the SYNTHETIC sample cannot be read as a fact: its title says SYNTHETIC, a
watermark crosses the plot, no real country code is shown, and its parts add up to every record
(shares to exactly 100). A real CTDC file is charted with its own codes and no such marks."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from trafficking_course import datasets, plots
from trafficking_course.datasets.synthetic import (
    CITIZENSHIPS,
    WATERMARK,
    chart_labels,
    citizenship_counts,
    form_combinations,
    labelled_table,
    place_name,
)
from trafficking_course.errors import DataError

from .conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    path = datasets.resource_path(datasets.SYNTHETIC_SAMPLE, ROOT / "data")
    return datasets.exploited_in(datasets.load_ctdc(path), "NOR", "NO")


def test_the_sample_chart_shows_no_real_country_code_and_adds_up(sample):
    table = citizenship_counts(sample, top=6)
    shown = set(table.citizenship)
    assert not shown & set(CITIZENSHIPS), shown
    assert [c for c in table.citizenship[:6]] == [f"made-up {x}" for x in "ABCDEF"]
    assert table.records.sum() == len(sample)
    assert round(table.share_percent.sum(), 6) == 100
    assert list(table.citizenship[-2:]) == ["all others", "not recorded"]


def test_form_combinations_count_each_record_once(sample):
    table = form_combinations(sample)
    assert table.records.sum() == len(sample)
    assert round(table.share_percent.sum(), 6) == 100
    # per-form shares count a record with two forms twice: they add up to more than 100
    assert datasets.form_shares(sample).sum(axis=1).iloc[0] > 100
    assert table.set_index("form").loc["more than one form", "records"] > 0


def test_shares_add_up_to_100_even_when_rounding_would_not():
    frame = pd.DataFrame({"citizenship": pd.array(["X", "Y", "Z"], dtype="string")})
    table = citizenship_counts(frame, top=3)
    assert list(table.records) == [1, 1, 1, 0]
    assert round(table.share_percent.sum(), 6) == 100  # 33.4 + 33.3 + 33.3 + 0


def test_the_sample_chart_says_synthetic_in_title_watermark_and_alt_text(sample):
    labels = chart_labels(sample, "records exploited in Norway, by citizenship")
    assert labels["title"].startswith("SYNTHETIC") and labels["watermark"] == WATERMARK
    fig = plots.bar(citizenship_counts(sample), "citizenship", "records", **labels,
                    xlabel="Citizenship", ylabel="Records (number)",
                    source=datasets.ctdc_source_line(sample))
    texts = [t.get_text() for t in fig.ax.texts]
    assert WATERMARK in texts
    assert "SYNTHETIC" in fig.title and "marked SYNTHETIC" in fig.alt_text
    assert fig.ax.get_ylim()[0] == 0


def test_a_real_file_keeps_its_codes_and_gets_no_synthetic_marks():
    records = datasets.load_ctdc(FIXTURES / "data" / "ctdc_sectorof.csv")
    assert not records.attrs.get("synthetic_sample")
    labels = chart_labels(records, "records by citizenship")
    assert labels == {"title": "records by citizenship", "watermark": ""}
    table = citizenship_counts(records, top=2)
    assert not any(c.startswith("made-up") for c in table.citizenship)
    assert table.records.sum() == len(records)
    fig = plots.bar(table, "citizenship", "records", **labels, xlabel="x", ylabel="y",
                    source="Source: a file")
    assert WATERMARK not in [t.get_text() for t in fig.ax.texts]


def test_records_without_citizenship_are_refused_by_name():
    with pytest.raises(DataError, match="citizenship"):
        citizenship_counts(pd.DataFrame({"gender": ["Woman"]}))
    with pytest.raises(DataError, match="top"):
        citizenship_counts(pd.DataFrame({"citizenship": ["X"]}), top=0)


def test_count_bars_start_at_zero():
    frame = pd.DataFrame({"year": ["2012", "2016"], "count": [349, 262]})
    fig = plots.bar(frame, "year", "count", title="t", xlabel="x", ylabel="y", source="s")
    assert fig.ax.get_ylim()[0] == 0


def test_the_sample_names_no_real_country_and_its_tables_say_synthetic(sample):
    assert place_name(sample, "Norway") == "made-up country X"
    html = labelled_table(sample, form_combinations(sample), "records by form").to_html()
    assert "SYNTHETIC teaching data, not real cases: records by form" in html
    shares = re.findall(r">(\d+\.\d+)<", html)
    assert shares and all(len(v.split(".")[1]) == 1 for v in shares), shares
    records = datasets.load_ctdc(FIXTURES / "data" / "ctdc_sectorof.csv")
    assert place_name(records, "Norway") == "Norway"
    real = labelled_table(records, citizenship_counts(records, top=2), "records by citizenship")
    assert "SYNTHETIC" not in real.to_html() and "records by citizenship" in real.to_html()
