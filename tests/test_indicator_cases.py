"""Indicator cases (data/indicator_cases/): every file validates against the ILO list; compare()
sorts ticks into found, missed and unsupported; bad files name file, case and field; the
IndicatorCaseChecklist widget works headless and restores saved ticks."""

from __future__ import annotations

import textwrap

import pytest

from trafficking_course.content.indicator_cases import case_dir, compare, load_case, load_case_file
from trafficking_course.errors import IndicatorCaseError
from trafficking_course.law.indicators import BY_KEY, CAVEAT
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets.indicator_case import IndicatorCaseChecklist

CASE_FILES = sorted(case_dir().glob("*.yaml"))


def test_module_seven_has_its_case():
    assert case_dir() / "07-live-in-carer.yaml" in CASE_FILES


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_every_case_file_validates(path):
    case = load_case_file(path)
    assert case.found and set(case.found) <= set(BY_KEY)
    assert case.provenance_line in ("Constructed for teaching",) or \
        case.provenance_line.startswith("Adapted from ")


def test_quoted_evidence_is_in_the_case_text():
    case = load_case("07-live-in-carer")
    for key, evidence in case.found.items():
        if evidence.startswith('"'):
            quoted = evidence[1:].split('"')[0]
            assert quoted.replace("'", '"') in case.text.replace("'", '"'), key


def test_compare_sorts_ticks_and_never_gives_a_verdict():
    case = load_case("07-live-in-carer")
    result = compare(case, ["deception", "excessive_overtime", "physical_and_sexual_violence"])
    assert result.matched == ("deception", "excessive_overtime")
    assert "physical_and_sexual_violence" in result.extra
    assert "intimidation_and_threats" in result.missed
    assert len(result.matched) + len(result.missed) == len(case.found)
    assert result.text.startswith(f"You found 2 of the {len(case.found)} indicators")
    assert "Missed: Intimidation and threats" in result.text
    assert "Not in the text: Physical and sexual violence. Nothing in the text" in result.text
    assert CAVEAT in result.text
    assert "is forced labour" not in result.text and "is trafficking" not in result.text


def test_compare_rejects_an_unknown_indicator():
    with pytest.raises(IndicatorCaseError, match="unknown indicator 'curfew'") as info:
        compare(load_case("07-live-in-carer"), ["curfew"])
    assert info.value.field == "present"


GOOD = textwrap.dedent("""\
    id: case-x
    title: A test case
    provenance: {kind: constructed}
    text: A worker's passport is kept by the employer and wages are held back.
    found:
      retention_of_identity_documents: "passport is kept"
      withholding_of_wages: "wages are held back"
    not_shown:
      isolation: Nothing says so.
    """)


def _write(tmp_path, text, name="case-x.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_good_file_loads(tmp_path):
    case = load_case_file(_write(tmp_path, GOOD))
    assert case.id == "case-x" and set(case.not_shown) == {"isolation"}


@pytest.mark.parametrize("old, new, record, field", [
    ("  withholding_of_wages:", "  wage_theft:", "case-x", "found.wage_theft"),
    ("  isolation: Nothing says so.", "  withholding_of_wages: Nothing.", "case-x",
     "not_shown.withholding_of_wages"),
    ("provenance: {kind: constructed}", "provenance: {kind: adapted}", "case-x",
     "provenance.source"),
    ("title: A test case\n", "", "case-x", "title"),
])
def test_bad_files_name_file_case_and_field(tmp_path, old, new, record, field):
    path = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(IndicatorCaseError) as info:
        load_case_file(path)
    assert info.value.file == str(path)
    assert info.value.record == record
    assert info.value.field == field


def test_id_must_match_the_file_name(tmp_path):
    with pytest.raises(IndicatorCaseError, match="must equal the file name") as info:
        load_case_file(_write(tmp_path, GOOD, name="other.yaml"))
    assert info.value.field == "id"


def test_widget_headless_compare_saves_and_restores(tmp_path):
    store = ProgressStore.for_notebook("07-organisation", folder=tmp_path)
    widget = IndicatorCaseChecklist.load("07-live-in-carer", progress=store)
    assert widget.state["checked"] is False
    for key in ("deception", "excessive_overtime", "physical_and_sexual_violence"):
        widget.checklist.boxes[key].value = True
    widget.compare_button.click()
    state = widget.state
    assert state["checked"] and state["matched"] == ["deception", "excessive_overtime"]
    assert state["extra"] == ["physical_and_sexual_violence"]
    assert state["score"] == 2 and state["total"] == len(widget.case.found)
    assert "Missed: Withholding of wages" in widget.feedback.value
    assert "Constructed for teaching" in widget.checklist.children[0].value

    again = IndicatorCaseChecklist.load("07-live-in-carer",
                                        progress=ProgressStore.for_notebook(
                                            "07-organisation", folder=tmp_path))
    assert again.checklist.present() == state["present"]
    assert again.state["matched"] == ["deception", "excessive_overtime"]
    assert "Missed: Withholding of wages" in again.feedback.value


def test_the_carer_case_is_ambiguous_not_over_determined():
    """Review m78 item 22: a case that shows ten of eleven indicators never tests 'indicators
    point, they do not decide'. Facts that look like indicators but are explained in the text
    (the passport kept at her request, a debt with clear terms, a phone) are keyed as not shown,
    each with the question to ask, and the ticks a careless reader makes are counted as extra."""
    case = load_case("07-live-in-carer")
    assert len(case.found) <= 7
    for key in ("retention_of_identity_documents", "debt_bondage", "isolation"):
        assert key in case.not_shown and "ask" in case.not_shown[key].lower(), key
    careless = compare(case, ["retention_of_identity_documents", "debt_bondage", "isolation"])
    assert careless.matched == () and len(careless.extra) == 3
