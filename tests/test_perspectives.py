"""Module 3's perspective files and the PerspectiveViewer widget (headless)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from trafficking_course.content.perspectives import ELEMENT_KEYS, load_perspective_case, parse_case
from trafficking_course.errors import PerspectiveError
from trafficking_course.paths import data_dir
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets.perspectives import (
    ELEMENTS_HEADING,
    NO_ELEMENTS,
    PerspectiveViewer,
    perspective_html,
)

FOLDER = data_dir() / "perspectives"
FILES = sorted(FOLDER.glob("*.yaml"))
FIVE = {"social-worker", "police", "researcher", "court", "person"}


def raw_case() -> dict:
    return yaml.safe_load((FOLDER / "salon-job-abroad.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_perspective_file_loads(path):
    case = load_perspective_case(path.stem)
    assert case.id == path.stem
    assert case.perspectives
    for p in case.perspectives:
        assert all(key in ELEMENT_KEYS for key in p.focus)


def test_module_3_case_has_the_five_actors_of_the_lecture():
    case = load_perspective_case("salon-job-abroad")
    assert set(case.ids) == FIVE
    assert case.provenance_line == "Constructed for teaching"


def test_module_3_case_facts_meet_the_protocol_elements():
    # The point of the module: the elements are there on paper, yet the actors differ. The visa
    # the recruiter told her to obtain by a false statement of purpose is a fraudulent document
    # (Smuggling Protocol, Art. 3(c)(ii)), so the case is smuggling as well (issue 21).
    a = load_perspective_case("salon-job-abroad").assessment
    assert a.verdict == "both"
    assert {n.key for n in a.trafficking.notes} >= {"consent_irrelevant"}
    assert all(e.met is True for e in a.smuggling.elements)


def test_module_3_case_states_the_evidence_of_the_misrepresented_visa():
    narrative = load_perspective_case("salon-job-abroad").narrative
    assert "write tourism" in narrative and "Do not write work" in narrative


def test_module_3_case_has_the_recruiter_charge_for_the_visa_help():
    # The notebook and quiz 03 q1 say the recruiter charged her for "the help with the visa" (his
    # benefit, Smuggling Protocol Art. 3(a)); the narrative must say so too, and the owner's
    # tripled debt must include that fee rather than a second, different charge.
    narrative = " ".join(load_perspective_case("salon-job-abroad").narrative.split())
    assert 'He charges her a fee for "the help with the visa"' in narrative
    assert "the recruiter's fee for the visa" in narrative


def test_focus_elements_are_assessed_on_the_case_facts():
    case = load_perspective_case("salon-job-abroad")
    elements = case.focus_elements("police")
    assert [e.key for e in elements] == ["act", "means", "purpose"]
    assert all(e.met is True for e in elements)
    assert all("Art. 3(a)" in e.article for e in elements)


def test_court_is_not_shown_weighing_the_protocols_act():
    # A Norwegian court applies s. 257, whose first paragraph has no "act" at its core (moving
    # or receiving the person is facilitation, second paragraph): the court's questions come
    # closest to the Protocol's means and purpose only.
    case = load_perspective_case("salon-job-abroad")
    assert [e.key for e in case.focus_elements("court")] == ["means", "purpose"]
    assert "s. 257" in case.perspective("court").why_different


def test_the_person_herself_is_not_shown_applying_the_protocol():
    # The one actor defined by her own words gets no legal element pinned on her.
    case = load_perspective_case("salon-job-abroad")
    assert case.focus_elements("person") == []
    text = perspective_html(case, "person")
    assert NO_ELEMENTS in text
    assert "Art. 3(a)" not in text


def test_element_heading_says_the_elements_are_the_courses_reading_not_the_actors_decision():
    case = load_perspective_case("salon-job-abroad")
    text = perspective_html(case, "court")
    assert ELEMENTS_HEADING in text and "not this actor's own test or decision" in text
    assert "focuses on" not in text
    # "met" beside the court's "Open" decision read as a finding; the mark says what it is.
    assert "present in the facts as written" in text
    assert "(met" not in text


def test_unknown_perspective_names_the_valid_ones():
    case = load_perspective_case("salon-job-abroad")
    with pytest.raises(PerspectiveError) as info:
        case.perspective("judge")
    assert "judge" in str(info.value) and "police" in str(info.value)


def test_missing_field_names_file_record_and_field():
    raw = raw_case()
    del raw["perspectives"][1]["threshold"]
    with pytest.raises(PerspectiveError) as info:
        parse_case(raw, file="x.yaml")
    exc = info.value
    assert (exc.file, exc.record, exc.field) == ("x.yaml", "police", "perspectives.1.threshold")


def test_unknown_focus_element_is_rejected():
    raw = raw_case()
    raw["perspectives"][0]["focus"] = ["trafficking.intent"]
    with pytest.raises(PerspectiveError) as info:
        parse_case(raw, file="x.yaml")
    assert info.value.field == "perspectives.0.focus"
    assert "trafficking.intent" in str(info.value)


def test_bad_facts_are_reported_under_facts():
    raw = raw_case()
    raw["facts"]["means"] = ["bribery"]
    with pytest.raises(PerspectiveError) as info:
        parse_case(raw, file="x.yaml")
    assert info.value.record == "salon-job-abroad"
    assert info.value.field == "facts.means"


def test_duplicate_perspective_ids_are_rejected():
    raw = raw_case()
    raw["perspectives"].append(copy.deepcopy(raw["perspectives"][0]))
    with pytest.raises(PerspectiveError) as info:
        parse_case(raw, file="x.yaml")
    assert info.value.record == "social-worker"


def test_missing_file_and_mismatched_id(tmp_path: Path):
    with pytest.raises(PerspectiveError, match="file not found"):
        load_perspective_case("nope", folder=tmp_path)
    raw = raw_case()
    raw["id"] = "other-name"
    (tmp_path / "renamed.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(PerspectiveError, match="must equal the file name"):
        load_perspective_case("renamed", folder=tmp_path)


def test_perspective_html_escapes_and_shows_elements():
    case = load_perspective_case("salon-job-abroad")
    text = perspective_html(case, "police")
    assert "Police" in text and "Threshold:" in text
    assert "Trafficking Protocol, Art. 3(a)" in text
    assert "<script" not in text


def test_viewer_starts_on_first_perspective_and_tracks_what_was_seen():
    viewer = PerspectiveViewer.load("salon-job-abroad")
    assert viewer.state["selected"] == "social-worker"
    assert viewer.state["viewed"] == ["social-worker"]
    assert "Social worker" in viewer.detail.value
    viewer.select("court")
    assert viewer.state["selected"] == "court"
    assert "Court" in viewer.detail.value
    assert not viewer.state["all_viewed"]
    for pid in ("police", "researcher", "person"):
        viewer.select(pid)
    assert viewer.state["all_viewed"]
    assert "seen all 5 perspectives" in viewer.progress_line.value
    assert viewer.state["legal_verdict"] == "both"


def test_viewer_rejects_an_unknown_perspective():
    viewer = PerspectiveViewer.load("salon-job-abroad")
    with pytest.raises(PerspectiveError):
        viewer.select("judge")
    assert viewer.state["selected"] == "social-worker"


def test_notes_are_kept_per_perspective_and_restored_from_progress(tmp_path: Path):
    store = ProgressStore.for_notebook("03-who-defines", folder=tmp_path)
    viewer = PerspectiveViewer.load("salon-job-abroad", progress=store)
    viewer.select("police")
    viewer.note.value = "A statement and a suspect."
    viewer.select("person")
    assert viewer.note.value == ""  # each perspective has its own note
    viewer.note.value = "Whether the word fits."
    viewer.select("police")
    assert viewer.note.value == "A statement and a suspect."

    again = PerspectiveViewer.load(
        "salon-job-abroad", progress=ProgressStore.for_notebook("03-who-defines", tmp_path))
    assert again.state["selected"] == "police"
    assert again.state["notes"] == {"police": "A statement and a suspect.",
                                    "person": "Whether the word fits."}
    assert set(again.state["viewed"]) == {"social-worker", "police", "person"}
    assert again.note.value == "A statement and a suspect."


def test_clearing_a_note_removes_it():
    viewer = PerspectiveViewer.load("salon-job-abroad")
    viewer.note.value = "something"
    assert viewer.state["notes"] == {"social-worker": "something"}
    viewer.note.value = "   "
    assert viewer.state["notes"] == {}


def test_showing_the_viewer_writes_nothing_until_the_learner_acts(tmp_path: Path):
    store = ProgressStore.for_notebook("03-who-defines", folder=tmp_path)
    viewer = PerspectiveViewer.load("salon-job-abroad", progress=store)
    assert not store.path.exists()
    viewer.select("researcher")
    assert store.get("perspectives:salon-job-abroad")["selected"] == "researcher"
