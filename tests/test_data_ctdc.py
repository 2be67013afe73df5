"""load_ctdc reads the course's synthetic sample and real CTDC files in every header variant,
and a bad file gives one DataError naming the file, the record and the field."""

from __future__ import annotations

import pandas as pd
import pytest

from trafficking_course import datasets
from trafficking_course.errors import DataError

from .conftest import FIXTURES, ROOT

CTDC = FIXTURES / "data"


def test_typeof_header_flags_are_0_or_1_and_empty_text_is_missing():
    frame = datasets.load_ctdc(CTDC / "ctdc_typeof.csv")
    assert frame.attrs["ctdc_schema"] == "synthetic-typeOf"
    assert list(frame.columns) == list(datasets.CTDC_COLUMNS)
    assert len(frame) == 12
    for col in datasets.CTDC_FLAG_COLUMNS:
        assert str(frame[col].dtype) == "Int8"
        assert frame[col].notna().all() and set(frame[col].unique()) <= {0, 1}
    assert frame["isForcedLabour"].sum() > 0  # a 1 in the file stays 1
    assert frame["gender"].isna().sum() == 1 and frame["gender"].iloc[3] is pd.NA
    assert frame["ageBroad"].iloc[4] is pd.NA
    assert str(frame["yearOfRegistration"].dtype) == "Int64"


def test_sectorof_header_reads_as_typeof():
    typeof = datasets.load_ctdc(CTDC / "ctdc_typeof.csv")
    sectorof = datasets.load_ctdc(CTDC / "ctdc_sectorof.csv")
    assert sectorof.attrs["ctdc_schema"] == "synthetic-sectorOf"
    pd.testing.assert_frame_equal(typeof, sectorof)


def test_k_anonymised_schema_reads_minus_99_as_missing():
    frame = datasets.load_ctdc(CTDC / "ctdc_k_anonymised.csv")
    assert frame.attrs["ctdc_schema"] == "k-anonymised"
    assert frame["yearOfRegistration"].iloc[2] is pd.NA
    assert frame["gender"].tolist()[:3] == ["Woman", "Man", "Woman"]
    assert frame["gender"].iloc[3] is pd.NA
    assert frame["citizenship"].iloc[0] == "NG"  # ISO2 kept as written
    assert frame["recruiterRelationFamily"].iloc[1] is pd.NA  # -99 in a flag
    assert frame["isOtherExploit"].isna().sum() == 1
    assert frame["meansOfControlConcatenated"].iloc[0] == "Debt bondage;Threats"
    shares = datasets.form_shares(frame)
    # 2 of 4 known sexual-exploitation flags; the -99 record is left out, not counted as 0
    assert shares.loc["share_percent", "other exploitation"] == pytest.approx(100 / 4)


BAD = [
    # (file, field, record, words in the message)
    ("bad_missing_column.csv", "isOtherExploit", None, "the column is missing"),
    ("bad_unknown_column.csv", "caseNotes", None, "unknown column"),
    ("bad_value_gender.csv", "gender", 7, "got 'Female'"),
    ("bad_flag.csv", "meansThreats", 3, "expected a flag: 1 or empty, got 'yes'"),
    ("bad_year.csv", "yearOfRegistration", 9, "got '20x9'"),
    ("bad_age_band.csv", "ageBroad", 2, "got '17--9'"),
    ("bad_country_code.csv", "citizenship", 10, "three-letter ISO country code"),
    ("bad_mixed_headers.csv", "typeOfLabourConstruction", None, "mixes typeOf"),
    ("bad_duplicate_column.csv", "gender", None, "appears twice"),
    ("bad_empty.csv", None, None, "the file is empty"),
    ("bad_header_only.csv", None, None, "no records"),
    ("bad_k_anonymised_flag.csv", "isForcedLabour", 2, "expected a flag: 0, 1 or -99, got '2'"),
    ("bad_k_anonymised_gender.csv", "gender", 1, "expected 'Female', 'Male' or -99"),
    ("bad_k_anonymised_misnamed.csv", "isSexualExploit", None, "the column is missing"),
    ("bad_k_anonymised_country.csv", "citizenship", 3, "two-letter ISO country code"),
]


@pytest.mark.parametrize("filename,field,record,words", BAD, ids=[b[0] for b in BAD])
def test_a_bad_ctdc_file_gives_one_error_naming_file_record_and_field(
        filename, field, record, words):
    with pytest.raises(DataError) as info:
        datasets.load_ctdc(CTDC / filename)
    exc = info.value
    assert exc.file == str(CTDC / filename)
    assert (exc.field, exc.record) == (field, record)
    assert words in str(exc)
    assert filename in str(exc)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(DataError, match="nothere.csv: file not found"):
        datasets.load_ctdc(tmp_path / "nothere.csv")


def test_the_shipped_sample_is_labelled_synthetic_everywhere():
    path = ROOT / "data" / "ctdc_synthetic_teaching_sample.csv"
    frame = datasets.load("ctdc_synthetic_teaching_sample")
    assert "synthetic" in path.name
    assert frame.attrs["synthetic_sample"] is True
    assert 2000 <= len(frame) <= 5000
    res = datasets.resource("ctdc_synthetic_teaching_sample")
    assert "SYNTHETIC" in res["title"] and "SYNTHETIC" in res["description"]
    assert "not real" in res["description"]
    assert "SYNTHETIC" in datasets.ctdc_source_line(frame)
    real = datasets.load_ctdc(CTDC / "ctdc_typeof.csv")
    assert "SYNTHETIC" not in datasets.ctdc_source_line(real)
    assert "CTDC" in datasets.ctdc_source_line(real)


def test_sex_age_groups_follow_gender_and_age_band():
    frame = pd.DataFrame({
        "gender": pd.array(["Woman", "Woman", "Man", "Man", "Trans/Transgender/NonConforming",
                            None, "Woman"], dtype="string"),
        "ageBroad": pd.array(["09--17", "18--20", "0--8", "48+", "30--38", "21--23", None],
                             dtype="string"),
    })
    assert datasets.sex_age_group(frame).tolist() == [
        "girls", "women", "boys", "men", "trans/non-conforming", "not recorded",
        "not recorded"]
    assert datasets.age_band_is_child("9--17") is True
    assert datasets.age_band_is_child("15--24") is None  # a band across 18 cannot be split
    shares = datasets.share_by_group(frame)
    assert shares.sum() == pytest.approx(100)
    assert shares["not recorded"] == pytest.approx(200 / 7)


def test_records_exploited_in_a_country_use_the_schema_s_country_codes():
    synthetic = datasets.load_ctdc(CTDC / "ctdc_typeof.csv")
    nor = datasets.exploited_in(synthetic, "NOR", "NO")
    assert len(nor) == (synthetic["CountryOfExploitation"] == "NOR").sum() > 0
    assert nor.attrs["source_file"] == "ctdc_typeof.csv" and nor.attrs["country"] == "NOR"
    old = datasets.load_ctdc(CTDC / "ctdc_k_anonymised.csv")
    assert datasets.exploited_in(old, "GBR", "GB")["citizenship"].tolist() == ["RO"]
    assert len(datasets.exploited_in(old, "ITA", "IT")) == 1  # the -99 country is not matched


def test_a_file_saved_by_a_spreadsheet_reads_the_same(tmp_path):
    """Byte-order mark and Windows line ends, as Excel writes them."""
    text = (CTDC / "ctdc_typeof.csv").read_text(encoding="utf-8")
    path = tmp_path / "from_excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    pd.testing.assert_frame_equal(datasets.load_ctdc(path),
                                  datasets.load_ctdc(CTDC / "ctdc_typeof.csv"))


def test_only_the_course_s_own_file_is_labelled_as_its_made_up_sample(tmp_path):
    """A downloaded CTDC synthetic release is derived from real cases: not 'made up'."""
    path = tmp_path / "ctdc_synthetic_2024.csv"
    path.write_text((CTDC / "ctdc_typeof.csv").read_text(encoding="utf-8"), encoding="utf-8")
    frame = datasets.load_ctdc(path)
    assert frame.attrs["synthetic_sample"] is False
    assert datasets.ctdc_source_line(frame).startswith("Source: ctdc_synthetic_2024.csv, Counter")


def test_an_empty_year_is_missing_not_an_error(tmp_path):
    lines = (CTDC / "ctdc_typeof.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = "," + lines[1].split(",", 1)[1]
    path = tmp_path / "no_year.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert datasets.load_ctdc(path)["yearOfRegistration"].iloc[0] is pd.NA


def test_charts_of_the_synthetic_sample_say_so_in_their_title():
    sample = datasets.load_ctdc(datasets.resource_path(datasets.SYNTHETIC_SAMPLE))
    assert datasets.ctdc_title(sample, "Case records by group").startswith("SYNTHETIC")
    real = datasets.load_ctdc(CTDC / "ctdc_k_anonymised.csv")
    assert datasets.ctdc_title(real, "Case records by group") == "Case records by group"


def test_a_synthetic_chart_title_says_who_set_its_pattern():
    """Review m78 item 21: a sample built to resemble GLOTIP 2024 must say so on the chart."""
    sample = datasets.load_ctdc(datasets.resource_path(datasets.SYNTHETIC_SAMPLE))
    title = datasets.ctdc_title(sample, "Case records by group", "Shares near GLOTIP 2024")
    assert title.splitlines() == [
        "SYNTHETIC teaching data, not real cases: Case records by group",
        "Shares near GLOTIP 2024: set by the course authors, not evidence"]
    real = sample.copy()
    real.attrs = {**sample.attrs, "synthetic_sample": False}
    assert datasets.ctdc_title(real, "Case records by group", "Shares near GLOTIP 2024") == \
        "Case records by group"
