"""Module 9 after its second review: what it newly quotes (s. 8-4's third paragraph, s. 17(e),
Jahnsen and Skilbrei's abstract, the US report's deportation criticism, the reflection period as a
work permit) is word for word in the excerpts kept; the marking guide does not settle whether
s. 108 reaches help to enter Italy; and the Benin City stage lists no means its explanation
denies."""

from __future__ import annotations

import nbformat

from trafficking_course.content.scenarios import load_scenarios

from .conftest import ROOT

SOURCES = ROOT / "tests" / "fixtures" / "sources"
STEM = "09-case-nigeria-norway"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _notebook() -> str:
    nb = nbformat.read(str(ROOT / "course" / f"{STEM}.ipynb"), as_version=4)
    return _flat("\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))


def test_the_new_quotations_are_in_the_excerpts_read():
    read = _flat((SOURCES / "module-9-second-review-2026-12-08.md").read_text(encoding="utf-8"))
    text = _notebook()
    for phrase in (
        "Bestemmelsen om krav til dokumentert identitet i § 8-12, gjelder tilsvarende",
        "ikke kan sannsynliggjøre det oppgitte formålet med oppholdet",
        "four regulatory practices whereby Norwegian police combine criminal law and "
        "immigration law in different ways vis-à-vis migrant women involved in prostitution",
        "target sex workers with exclusionary measures, even though the sale of sex is legal",
        "continued to focus on the deportation of some potential foreign national victims "
        "rather than screening for trafficking indicators",
        "en seks måneders oppholds- og arbeidstillatelse",
    ):
        assert phrase in read and phrase in text, phrase


def test_the_marking_guide_does_not_settle_s_108_and_italy():
    guide = _flat((ROOT / "instructor" / "09-problem-question.md").read_text(encoding="utf-8"))
    assert "neither, on what the module gives, reaches help to enter Italy" not in guide
    assert "Do not reward either conclusion as settled" in guide
    assert "the territory of a Member State" in guide


def test_the_benin_city_stage_lists_no_means_its_explanation_denies():
    stage = load_scenarios().get("nigeria-promise-and-oath-in-benin-city")
    assert "abuse_of_vulnerability" not in stage.facts.means
    assert not any("means" in e.shows for e in stage.evidence if e.id == "family")
    assert "background, not a means" in stage.explanation
