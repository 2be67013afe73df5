"""Module 9 after its second and third reviews: what it newly quotes (s. 8-4's third paragraph,
s. 17(e), Jahnsen and Skilbrei's abstract, the US reports, s. 60 a, the compensation Act's §§ 5
and 6, UDI 2013-014) is word for word in the excerpts kept; the marking guide puts T's marks on
jurisdiction and reasons s. 108's reach to Italy as likely; and the Benin City stage lists no
means its explanation denies."""

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


def test_the_marking_guide_puts_t_s_marks_on_jurisdiction():
    """After the third review: T's marks are on whether a Norwegian court can try him (Penal Code
    s. 5, Rt-2003-179), and s. 108's reach to other Schengen States is reasoned as likely."""
    guide = _flat((ROOT / "instructor" / "09-problem-question.md").read_text(encoding="utf-8"))
    assert "neither, on what the module gives, reaches help to enter Italy" not in guide
    assert "Do not reward either conclusion as settled" not in guide
    assert "*Jurisdiction* (2)" in guide and "Rt-2003-179" in guide
    assert "the territory of a Member State" in guide
    assert "Penal Code s. 5 (acts abroad) is **not marked**" not in guide


def test_the_third_review_quotations_are_in_the_excerpts_read():
    read = _flat((SOURCES / "module-9-round3-2026-12-08.md").read_text(encoding="utf-8"))
    text = _notebook()
    guide = _flat((ROOT / "instructor" / "09-problem-question.md").read_text(encoding="utf-8"))
    for phrase in (
        "forhøyes maksimumsstraffen i straffebudet til det dobbelte, likevel ikke med mer enn 5 "
        "års fengsel",
        "legger forholdene til rette for slik tvang, utnyttelse eller forledelse",
        "bryte med miljøet bak menneskehandelen",
        "dersom forholdet er anmeldt",
        "Det ytes ikke høyere erstatning enn 60 ganger grunnbeløpet i folketrygden, jf. "
        "folketrygdloven § 1-4, per person per sak. I særlige tilfeller kan den øvre grensen "
        "fravikes",
        "victims were unable to access assistance granted to trafficking victims when "
        "authorities investigated and prosecuted a trafficking crime as another crime",
        "authorities penalized some victims",
        "an unspecified notion of ‘voodoo’ came to dominate the entire police operation",
        "når personen oppholder seg i Norge",
        "til ulovlig å reise inn i riket eller til annen stat",
        "flaws in programme implementation can in fact exacerbate vulnerabilities rather than help "
        "returnees overcome them",
        "aims to ensure that migrants receive a safe and dignified return",
    ):
        assert phrase in read, phrase
        assert phrase in text or phrase in guide, phrase
    # the garbled GRETA sentence and the unconditional State payment are gone
    assert "and that a woman whose case is prosecuted as another crime" not in text
    assert "without an application" not in text and "without an application" not in guide
    assert "course's own inference" not in text


def test_the_benin_city_stage_lists_no_means_its_explanation_denies():
    stage = load_scenarios().get("nigeria-promise-and-oath-in-benin-city")
    assert "abuse_of_vulnerability" not in stage.facts.means
    assert not any("means" in e.shows for e in stage.evidence if e.id == "family")
    assert "background, not a means" in stage.explanation


def test_the_final_review_quotations_are_in_the_excerpts_read():
    """The second paragraph of s. 8-3 (the limited permit's basis) and s. 5 of the Penal Code as
    far as the copies read go are quoted word for word; the problem question fixes the year of
    judgment, so the 2022 compensation Act it marks is the one that applies."""
    read = _flat("\n".join((SOURCES / name).read_text(encoding="utf-8") for name in (
        "module-9-round4-2026-12-08.md", "module-9-round3-2026-12-08.md")))
    text = _notebook()
    for phrase in (
        "En utlending som har hatt refleksjonsperiode etter første ledd, kan gis ny "
        "oppholdstillatelse som ikke danner grunnlag for permanent oppholdstillatelse etter "
        "avsluttet refleksjonsperiode i henhold til retningslinjer som gis av "
        "Utlendingsdirektoratet",
        "straffbare også etter loven i landet der de er foretatt",
        "Første ledd nr. 1, 2, 3, 6, 7, 8, 10 med unntak av § 145, og 11 gjelder tilsvarende for "
        "handlinger foretatt av andre personer enn dem som omfattes av første og annet ledd, når "
        "personen oppholder seg i Norge, og handlingen har",
    ):
        assert phrase in read and phrase in text, phrase
    assert "final judgment in 2024" in text
    guide = _flat((ROOT / "instructor" / "09-problem-question.md").read_text(encoding="utf-8"))
    assert "final judgment in 2024" in guide and "tests/fixtures" not in guide
