"""The synthetic CTDC-schema generator: seeded, in the schema, labelled, and loosely following
the sourced Global Report shares it is documented to follow."""

from __future__ import annotations

import subprocess
import sys

import pytest

from trafficking_course import datasets
from trafficking_course.datasets import synthetic
from trafficking_course.errors import DataError

from .conftest import ROOT

SAMPLE = ROOT / "data" / "ctdc_synthetic_teaching_sample.csv"


def test_same_seed_same_records_other_seed_other_records():
    a = synthetic.generate(rows=300, seed=1)
    b = synthetic.generate(rows=300, seed=1)
    c = synthetic.generate(rows=300, seed=2)
    assert a.equals(b)
    assert not a.equals(c)


def test_the_shipped_sample_is_what_the_documented_command_makes(tmp_path):
    """datapackage.json says: data synth --seed 2026 --rows 3000."""
    assert "--seed 2026 --rows 3000" in datasets.resource(datasets.SYNTHETIC_SAMPLE)["description"]
    out = tmp_path / "again.csv"
    synthetic.write_sample(out, seed=2026, rows=3000)
    assert out.read_bytes() == SAMPLE.read_bytes()


def test_flags_are_written_as_1_or_empty_and_the_file_loads():
    frame = synthetic.generate(rows=500, seed=3)
    for col in datasets.CTDC_FLAG_COLUMNS:
        assert set(frame[col]) <= {"1", ""}, col
    assert list(frame.columns) == list(datasets.CTDC_COLUMNS)


@pytest.mark.parametrize("variant", ["typeOf", "sectorOf"])
def test_both_header_variants_load(tmp_path, variant):
    path = synthetic.write_sample(tmp_path / f"{variant}.csv", seed=5, rows=200,
                                  variant=variant)
    header = path.read_text().splitlines()[0]
    assert (f"{variant}LabourAgriculture" in header) and header.count("typeOf") == (
        6 if variant == "typeOf" else 0)
    frame = datasets.load_ctdc(path)
    assert frame.attrs["ctdc_schema"] == f"synthetic-{variant}"
    assert len(frame) == 200


def test_marginals_loosely_follow_the_sourced_global_report_shares():
    frame = datasets.load_ctdc(SAMPLE)
    groups = datasets.sex_age_group(frame)
    known = groups[groups.isin(["women", "girls", "men", "boys"])]
    got = (100 * known.value_counts(normalize=True)).to_dict()
    table = datasets.load("glotip_victims_by_sex_age")
    want = table[(table.edition == 2024) & (table.group_kind == "sex_and_age")]
    for group, share in zip(want.group, want.share_percent, strict=True):
        assert abs(got[group] - share) < 4, (group, got[group], share)

    forms = datasets.form_shares(frame).iloc[0]
    table = datasets.load("glotip_victims_by_form")
    e2020 = table[table.edition == 2020].set_index("form").share_percent
    assert abs(forms["sexual exploitation"] - e2020["sexual_exploitation"]) < 5
    assert abs(forms["forced labour"] - e2020["forced_labour"]) < 5


def test_sectors_only_where_the_form_is_flagged():
    frame = datasets.load_ctdc(SAMPLE)
    labour = frame[[c for c in datasets.CTDC_COLUMNS if c.startswith("typeOfLabour")]].sum(axis=1)
    sex = frame[["typeOfSexProstitution", "typeOfSexPornography"]].sum(axis=1)
    assert (labour[frame.isForcedLabour == 0] == 0).all()
    assert (sex[frame.isSexualExploit == 0] == 0).all()
    assert (frame[list(datasets.FORM_FLAGS)].sum(axis=1) >= 1).all()


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(DataError, match="at least 1"):
        synthetic.generate(rows=0)
    with pytest.raises(DataError, match="variant"):
        synthetic.write_sample(tmp_path / "x.csv", variant="kindOf")


def test_cli_writes_a_sample(tmp_path):
    out = tmp_path / "sample.csv"
    proc = subprocess.run([sys.executable, "-m", "trafficking_course", "data", "synth",
                           "--seed", "9", "--rows", "50", "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "SYNTHETIC" in proc.stdout
    assert len(datasets.load_ctdc(out)) == 50
