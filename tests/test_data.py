"""The data package: every dataset is described, sourced, licensed and loads typed; a bad
aggregate table gives one DataError naming the file, the record and the field."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from trafficking_course import datasets
from trafficking_course.errors import DataError

from .conftest import ROOT

DATA = ROOT / "data"
AGGREGATES = [n for n in datasets.resource_names(DATA) if n != datasets.SYNTHETIC_SAMPLE]


def test_frictionless_finds_the_package_valid():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATA / "datapackage.json"))
    problems = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
    problems += [e.message for e in report.errors]
    assert report.valid, problems


def test_every_file_in_data_is_a_described_resource():
    described = {datasets.resource(n, DATA)["path"] for n in datasets.resource_names(DATA)}
    on_disk = {p.name for p in DATA.glob("*.csv")}
    assert on_disk == described


@pytest.mark.parametrize("name", datasets.resource_names(DATA))
def test_every_resource_is_described_sourced_licensed_and_typed(name):
    res = datasets.resource(name, DATA)
    assert res.get("title") and len(res.get("description", "")) > 80
    assert res.get("sources") and all(s.get("title") for s in res["sources"])
    assert res.get("licenses") and all(lic.get("name") for lic in res["licenses"])
    for field in res["schema"]["fields"]:
        assert field.get("type") in {"integer", "number", "string", "boolean", "date"}, field
    numeric = [f for f in res["schema"]["fields"]
               if f["type"] in ("integer", "number") and not f["name"].startswith(
                   ("means", "is", "typeOf", "recruiter"))]
    for field in numeric:
        assert field.get("unit"), f"{name}.{field['name']} has no unit"


@pytest.mark.parametrize("name", AGGREGATES)
def test_every_aggregate_loads_typed_and_every_row_cites_a_known_source(name):
    frame = datasets.load(name, root=DATA)
    assert len(frame) > 0
    schema = datasets.resource(name, DATA)["schema"]
    assert list(frame.columns) == [f["name"] for f in schema["fields"]]
    for field in schema["fields"]:
        col = frame[field["name"]]
        if field["type"] == "integer":
            assert str(col.dtype) == "Int64"
        elif field["type"] == "number":
            assert str(col.dtype) == "Float64"
        elif field["type"] == "boolean":
            assert str(col.dtype) == "boolean"
    if name != "sources":
        known = set(datasets.load("sources", root=DATA)["source_id"])
        assert frame["source_id"].notna().all()
        assert set(frame["source_id"]) <= known


def test_global_report_shares_are_the_sourced_ones():
    sex_age = datasets.load("glotip_victims_by_sex_age", root=DATA)
    e2024 = sex_age[(sex_age.edition == 2024) & (sex_age.group_kind == "sex_and_age")]
    assert dict(zip(e2024.group, e2024.share_percent, strict=True)) == {
        "women": 39, "girls": 22, "men": 23, "boys": 16}
    e2020 = sex_age[(sex_age.edition == 2020) & (sex_age.group_kind == "sex_and_age")]
    assert dict(zip(e2020.group, e2020.share_percent, strict=True)) == {
        "women": 46, "girls": 19, "men": 20, "boys": 15}   # GLOTIP 2020: 46%, not "five in ten"
    assert not e2020.approximate.any()
    for edition, shares in ((2018, {"women": 49, "girls": 23, "men": 21, "boys": 7}),
                            (2022, {"women": 42, "girls": 18, "men": 23, "boys": 17})):
        rows = sex_age[(sex_age.edition == edition) & (sex_age.group_kind == "sex_and_age")]
        assert dict(zip(rows.group, rows.share_percent, strict=True)) == shares, edition
    # the four groups of one edition add up to about 100
    for edition, rows in sex_age[sex_age.group_kind == "sex_and_age"].groupby("edition"):
        if len(rows) == 4:
            assert 95 <= rows.share_percent.sum() <= 105, edition
    forms = datasets.load("glotip_victims_by_form", root=DATA)
    e2020 = forms[forms.edition == 2020].set_index("form").share_percent
    assert e2020.to_dict() == {"sexual_exploitation": 50, "forced_labour": 38,
                               "forced_criminal_activity": 6, "begging": 1}
    # every row keeps its edition, data year(s), number of countries and source
    editions = datasets.load("glotip_editions", root=DATA).set_index("edition")
    for frame in (sex_age, forms):
        for row in frame.itertuples():
            assert row.countries == editions.loc[row.edition, "countries"]
            assert row.source_id == f"unodc-glotip-{row.edition}"


def test_unverified_figures_are_left_out():
    forms = datasets.load("glotip_victims_by_form", root=DATA)
    e2024 = forms[forms.edition == 2024]
    assert set(e2024.form) == {"forced_criminal_activity"}  # 42% / 38%: one source only
    desc = datasets.resource("glotip_victims_by_form", DATA)["description"]
    assert "press summar" in desc and "not the prevalence" in desc


def _years(text: str) -> tuple[int, int]:
    years = [int(y) for y in text.replace("mostly ", "").split("-")]
    return years[0], years[-1]


def test_every_share_is_data_of_its_own_edition():
    """A figure sits under the edition whose data it is: no 2016 value under the 2024 edition
    (whose data are 2019-2023), and no data year after the edition's publication."""
    editions = datasets.load("glotip_editions", root=DATA).set_index("edition")
    for name in ("glotip_victims_by_form", "glotip_victims_by_sex_age"):
        for row in datasets.load(name, root=DATA).itertuples():
            first, last = _years(row.data_years)
            cover_first, cover_last = _years(editions.loc[row.edition, "data_years"])
            assert cover_first <= first and last <= min(cover_last, row.edition), (name, row)
    forms = datasets.load("glotip_victims_by_form", root=DATA)
    criminal = forms[forms.form == "forced_criminal_activity"].set_index("data_years")
    assert criminal.share_percent.to_dict() == {"2018": 6, "2020": 10, "2022": 8}


def test_chart_legends_give_the_edition_with_its_data_year():
    sex_age = datasets.load("glotip_victims_by_sex_age", root=DATA)
    labels = set(datasets.edition_label(sex_age))
    assert labels == {"2018 edition (2016 data)", "2020 edition (2018 data)",
                      "2022 edition (2020 data)", "2024 edition (2022 data)"}
    with pytest.raises(DataError, match="data_years"):
        datasets.edition_label(sex_age.drop(columns="data_years"))


def test_source_lines_say_where_the_figures_were_read():
    """A figure's source line names where its numbers were read: the 2024 shares by sex and
    age in Reuters' report of the launch and UNODC's press release, not in UNODC's report."""
    sex_age = datasets.load("glotip_victims_by_sex_age", root=DATA)
    line = datasets.source_line(sex_age[sex_age.edition == 2024].source_id, root=DATA)
    assert "Reuters" in line and "press release" in line and "not in the report" in line
    sources = datasets.load("sources", root=DATA).set_index("source_id")
    for edition in (2018, 2020, 2022, 2024):
        assert "read in" in sources.loc[f"unodc-glotip-{edition}", "title"], edition


def test_norway_figures():
    kom = datasets.load("norway_possible_victims", root=DATA)
    y2012 = kom[kom.year == 2012]
    total = y2012[y2012.measure == "possible_victims"].set_index("category")["count"]
    groups = y2012[y2012.measure == "possible_victims_by_group"]["count"]
    assert total["all"] == 349 and groups.sum() == 349
    y2016 = kom[kom.year == 2016]
    assert y2016[y2016.measure == "possible_victims_by_group"]["count"].sum() == 261
    assert not ((kom.year == 2016) & (kom.category == "new_in_year")).any()


def test_source_line_names_publisher_and_title():
    line = datasets.source_line(["unodc-glotip-2020", "unodc-glotip-2020", "no-kom"], root=DATA)
    assert line.startswith("Source: United Nations Office on Drugs and Crime")
    assert line.count("Global Report") == 1 and "KOM" in line
    with pytest.raises(DataError, match="unknown source id 'nope'"):
        datasets.source_line("nope", root=DATA)


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(DataError) as info:
        datasets.load("glotip_by_colour", root=DATA)
    assert "glotip_by_colour" in str(info.value) and "glotip_editions" in str(info.value)


# --- bad aggregate tables: copy the package, spoil one cell or the header ------------------

@pytest.fixture()
def copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def spoil(root, filename, old, new):
    path = root / filename
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


BAD_TABLES = [
    # (file, text to replace, replacement, record, field, words in the message)
    ("glotip_victims_by_form.csv", "2020,2018,148,begging,1,", "2020,2018,148,begging,x,",
     6, "share_percent", "expected a number, got 'x'"),
    ("glotip_victims_by_form.csv", "2020,2018,148,begging,1,", "2020,2018,148,begging,120,",
     6, "share_percent", "above the maximum 100"),
    ("glotip_victims_by_form.csv", "2020,2018,148,begging,1,", "2020,2018,148,beggin,1,",
     6, "form", "'beggin' is not one of"),
    ("glotip_editions.csv", "2022,2017-2021,141", "2022,2017-2021,14x",
     3, "countries", "expected an integer, got '14x'"),
    ("glotip_editions.csv", "2022,2017-2021,141", "2022,2017-2021,",
     3, "countries", "a value is required"),
    ("glotip_victims_by_sex_age.csv", "19,false", "19,maybe",
     6, "approximate", "expected true or false"),
    ("glotip_trends.csv", "unodc-glotip-2024", "unodc-glotip-2042",
     3, "source_id", "'unodc-glotip-2042' is not a source_id of sources"),
    ("norway_possible_victims.csv", "2012,possible_victims,all,349",
     "2012,possible_victims,all,-349", 1, "count", "below the minimum 0"),
    ("norway_timeline.csv", "2009-01-01", "2009-13-01", 6, "date", "expected a date"),
    ("glotip_editions.csv", "2024,2019-2023", "2022,2019-2023",
     4, "edition", "primary key"),
    ("sources.csv", "unodc-glotip-2020,", "unodc-glotip-2018,",
     2, "source_id", "must be unique"),
]


@pytest.mark.parametrize("filename,old,new,record,field,words", BAD_TABLES,
                         ids=[f"{b[0]}:{b[4]}:{b[5][:20]}" for b in BAD_TABLES])
def test_a_bad_cell_gives_one_error_naming_file_record_and_field(
        copy, filename, old, new, record, field, words):
    path = spoil(copy, filename, old, new)
    name = filename.removesuffix(".csv")
    with pytest.raises(DataError) as info:
        datasets.load(name, root=copy)
    exc = info.value
    assert exc.file == str(path)
    assert (exc.record, exc.field) == (record, field)
    assert words in str(exc)


@pytest.mark.parametrize("old,new,field,words", [
    ("edition,data_years,countries,form,", "edition,data_years,form,", "countries",
     "the column is missing"),
    ("source_id\n", "source_id,comment\n", "comment", "unknown column"),
])
def test_a_bad_header_names_the_column(copy, old, new, field, words):
    path = spoil(copy, "glotip_victims_by_form.csv", old, new)
    with pytest.raises(DataError) as info:
        datasets.load("glotip_victims_by_form", root=copy)
    assert info.value.field == field and info.value.file == str(path)
    assert words in str(info.value)


def test_a_missing_file_or_descriptor_is_named(copy):
    (copy / "glotip_trends.csv").unlink()
    with pytest.raises(DataError, match="glotip_trends.csv: file not found"):
        datasets.load("glotip_trends", root=copy)
    (copy / "datapackage.json").unlink()
    with pytest.raises(DataError, match="datapackage.json: the data package descriptor is "
                       "missing"):
        datasets.load("glotip_editions", root=copy)


def test_the_data_folder_can_be_moved(copy, monkeypatch):
    """Where there is no checkout (a wheel, JupyterLite) the loader reads another folder."""
    monkeypatch.setenv("TRAFFICKING_COURSE_DATA", str(copy))
    spoil(copy, "glotip_editions.csv", "2020,2018,148,50000", "2020,2018,148,50001")
    assert datasets.load("glotip_editions").set_index("edition").loc[2020, "detected_victims"] \
        == 50001


def test_no_nan_ever_hides_a_missing_value():
    frame = datasets.load("glotip_editions", root=DATA)
    assert frame["detected_victims"].isna().sum() == 3
    assert pd.isna(frame["detected_victims"].iloc[0]) and frame["detected_victims"].iloc[0] \
        is pd.NA


# --- the command line ------------------------------------------------------------------------

def run(*args):
    return subprocess.run([sys.executable, "-m", "trafficking_course", *args],
                          capture_output=True, text=True, cwd=ROOT)


def test_cli_validates_the_package_and_lists_datasets():
    out = run("data", "validate")
    assert out.returncode == 0, out.stderr
    assert "glotip_victims_by_form: 8 rows, valid" in out.stdout
    assert "frictionless: the data package is valid" in out.stdout
    out = run("data", "list")
    assert out.returncode == 0 and "SYNTHETIC" in out.stdout and "CC-BY-4.0" in out.stdout


def test_cli_reports_a_bad_ctdc_file_in_one_line():
    bad = ROOT / "tests" / "fixtures" / "data" / "bad_flag.csv"
    out = run("data", "validate", str(bad))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "bad_flag.csv" in lines[0] and "'meansThreats'" in lines[0] and "'yes'" in lines[0]


def test_the_readmes_list_every_dataset_with_its_licence():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Datasets", 1)[1].split("\n## ", 1)[0]
    data_readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in datasets.resource_names(DATA):
        rows = [line for line in section.splitlines() if line.startswith(f"| `{name}` |")]
        assert len(rows) == 1, f"README.md Datasets has no row for {name}"
        licences = [lic["name"] for lic in datasets.resource(name, DATA)["licenses"]]
        assert all(lic in rows[0] for lic in licences), rows[0]
        assert f"`{datasets.resource(name, DATA)['path']}`" in data_readme, name


def test_vague_sources_are_checkable():
    # KOM figures cite the report they come from by year; the 2014 evaluation of the sex
    # purchase ban is Vista Analyse's report 2014/30 with its authors (issue 14).
    kom = datasets.load("norway_possible_victims", root=DATA)
    assert set(kom[kom.year == 2016].source_id) == {"no-kom-2016"}
    assert set(kom[kom.year == 2012].source_id) == {"no-kom"}
    sources = datasets.load("sources", root=DATA).set_index("source_id")
    assert "report on 2012" in sources.loc["no-kom", "title"]
    assert "18 September 2017" in sources.loc["no-kom-2016", "section"]
    vista = sources.loc["vista-2014"]
    assert vista["publisher"] == "Vista Analyse" and "2014/30" in vista["title"]
    for author in ("Rasmussen", "Strøm", "Sverdrup", "Wøien Hansen"):
        assert author in vista["title"]
    timeline = datasets.load("norway_timeline", root=DATA)
    assert "vista-2014" in set(timeline.source_id)
    assert (timeline.date.astype(str) == "2015-10-01").any(), "the 2005 Penal Code in force"


def test_every_change_names_the_year_it_is_compared_with():
    """A percentage change without its comparison year invites a wrong reading: the 2022
    edition's falls in 2020 are against 2019, as its preface and launch say."""
    trends = datasets.load("glotip_trends", root=DATA)
    assert trends.baseline_year.notna().all(), trends
    falls = trends[(trends.edition == 2022) & (trends.year == 2020)]
    assert set(falls.baseline_year) == {2019}
    assert dict(zip(falls.measure, falls.change_percent, strict=True)) == {"detected_victims": -11,
                                                               "convictions": -27}
