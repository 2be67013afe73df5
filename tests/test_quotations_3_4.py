"""Modules 3 and 4 quote the texts their law rests on, and quote only what was read: the block
quotations (checked word for word by tests/test_treaties.py) are present in full, the short
quotations in running text are found word for word in the excerpts kept under
tests/fixtures/sources, and Penal Code s. 257(1)(b) is glossed in its wording as in force."""

from __future__ import annotations

import re

import nbformat
import pytest

from trafficking_course.law.treaties import PARAGRAPHS

from .conftest import ROOT
from .test_treaties import blockquote_paragraphs

SOURCES = ROOT / "tests" / "fixtures" / "sources"
R2 = "smuggling-round2-2026-12-08.md"  # module 4, second review of 2026-12-08
R3 = "smuggling-round3-2026-12-08.md"  # module 4, third review of 2026-12-08
#: Module 3's reading of 2026-12-08.
M3 = "module-3-round-2026-12-08.md"
#: Module 3's reading for the third review of 2026-12-08.
M3R3 = "module-3-round3-2026-12-08.md"

QUOTED = {
    "03-who-defines": ["Penal Code 2005, s. 257 (first paragraph)",
                       "V.C.L. and A.N. v. the United Kingdom (2021), Information Note 248"],
    "04-smuggling": ["Smuggling Protocol, Art. 6(1)", "Penal Code 2005, s. 2",
                     "Interpretative notes (A/55/383/Add.1), financial or other material benefit",
                     "Refugee Convention, Art. 33(2)", "UNCLOS, Art. 98(1)(a)-(b)",
                     "R v Asfaw [2008] UKHL 31, para. 1"],
}

#: Short quotations in running text, each with the excerpt it was read in.
INLINE = {
    "03-who-defines": [
        ("improperly issued or obtained through misrepresentation, corruption or duress or in any "
         "other unlawful manner", "smuggling-protocol-art-3c-6-1-and-benefit-note.md"),
        ("without the right to refuse, is promised or given in marriage on payment of a "
         "consideration in money or in kind to her parents, guardian, family or any other person "
         "or group", "supplementary-convention-1956-art-1.md"),
        ("failure to take operational measures in line with international standards to protect "
         "minors prosecuted despite credible suspicion they were trafficking victims",
         "decisions-modules-3-4.md"),
        ("No initial, prompt assessment of trafficking status", "decisions-modules-3-4.md"),
        ("child- and gender-sensitive issues", "trafficking-protocol-art-10-2.md"),
        ("have been compelled to commit as a direct consequence of being subjected to",
         "modules-3-4-round3-sources.md"),
        ("had become aware of a credible suspicion", "decisions-modules-3-4.md"),
        ("not sufficiently and consistently applied by the prosecution and the courts",
         "modules-3-4-round3-sources.md"),
        ("Each State Party shall take into account, in applying the provisions of this article, "
         "the age, gender and special needs of victims", "modules-1-2-third-reading.md"),
        ("fremmer andres prostitusjon", "modules-3-4-round4-sources.md"),
        ("has no real and acceptable alternative but to submit to the abuse involved",
         "modules-3-4-round4-sources.md"),
        ("rimelig grunn til å undersøke", "modules-3-4-round4-sources.md"),
        ("i henhold til retningslinjer som gis av Utlendingsdirektoratet",
         "modules-3-4-round4-sources.md"),
        ("aware, or ought to be aware, of circumstances giving rise to a credible suspicion that "
         "an individual has been trafficked", "modules-3-4-round4-sources.md"),
        ("if the competent authorities have reasonable grounds to believe that a person has been "
         "victim of trafficking in human beings", M3),
        ("på noe punkt kan klandres for sin uvitenhet", M3),
        ("to set up a formalised National Referral Mechanism which defines the procedures and "
         "roles of all who may come into contact with victims of trafficking", M3),
        ("not having to rely mainly on the testimony of victims or witnesses", M3),
        ("the first occasion on which the Court had been called upon to consider if and when a "
         "case concerning the prosecution of a (potential) victim of trafficking might raise an "
         "issue under Article 4", "vcl-information-note-reading-2026-12-08.md"),
        ("are aware, or ought to be aware, of circumstances giving rise to a credible suspicion "
         "that an identified individual has been, or was at real and immediate risk of being, "
         "trafficked or exploited", M3),
        ("a person or category of individuals, who – when hit by crime – most readily are given "
         "the complete and legitimate status of being a victim", M3),
        ("a more nuanced appreciation of the relationship between agency and victimization", M3),
        ("the age, gender and special needs of victims of trafficking in persons, in particular "
         "the special needs of children, including appropriate housing, education and care",
         "module-1-round2-2026-12-08.md"),
        ("until after a more formal and reliable system is in place", M3R3),
        ("offerets subjektive opplevelse av situasjonen er en del av totalbildet", M3R3),
        ("on a consensual and informed basis", M3R3),
        ("innstilt på å benytte seg av de hjelpetiltakene som tilbys", M3R3),
        ("recover and escape the influence of traffickers and/or to take an informed decision on "
         "cooperating with the competent authorities", M3R3),
        ("de subjektive vilkår for domfellelse for menneskehandel ikke var oppfylt for hans del",
         "hr-2016-2491-a.md"),
        ("right of victims to compensation from the perpetrators", M3R3),
        ("entitled not to prosecute or impose penalties on victims",
         "modules-3-4-round3-sources.md"),
        ("aware of circumstances giving rise to a credible suspicion of a real and immediate risk",
         M3R3),
        ("target sex workers with exclusionary measures, even though the sale of sex is legal",
         M3R3),
        ("based on a flawed understanding of victim volition, under which victims who appear to be "
         "under the total control of a trafficker are viewed as worthy of relief and other victims "
         "are rejected as undeserving", M3R3),
        ("The offender was unknown and in no personal relationship to her", M3R3),
        ("She was where she could not possibly be blamed for being", M3R3),
        ("continued to charge traffickers with non-trafficking crimes, such as pimping",
         "module-9-sources-read.md"),
    ],
    "04-smuggling": [
        ("cannot be construed as a way to allow humanitarian activity that is mandated by law to "
         "be criminalised, such as search and rescue operations at sea, regardless how the "
         "Facilitation Directive is applied under national law",
         "rescue-at-sea-and-facilitation-guidance.md"),
        ("is bound to proceed with all speed to their assistance",
         "rescue-at-sea-and-facilitation-guidance.md"),
        ("This obligation to provide assistance applies regardless of the nationality or status of "
         "such persons or the circumstances in which they are found",
         "modules-3-4-round2-sources.md"),
        ("regardless of the nationality or status of such a person or the circumstances in which "
         "that person is found", "modules-3-4-round2-sources.md"),
        ("must be interpreted as meaning that, first, the conduct of a person who, in breach of "
         "the rules governing the movement of persons across borders, brings into the territory "
         "of a Member State minors who are third-country nationals and are accompanying him or "
         "her, and over whom he or she exercises actual care, does not fall within the scope of "
         "the general offence of facilitation of unauthorised entry, and, second, those articles "
         "preclude "
         "national legislation criminalising such conduct", "modules-3-4-round2-sources.md"),
        ("compelled to leave their country of origin as a result of international or national "
         "armed conflicts are not normally considered refugees under the 1951 Convention or 1967 "
         "Protocol", "modules-3-4-round2-sources.md"),
        ("the Criminalisation of NGO-led SAR Operations",
         "rescue-at-sea-and-facilitation-guidance.md"),
        ("improperly issued or obtained through misrepresentation, corruption or duress or in any "
         "other unlawful manner", "smuggling-protocol-art-3c-6-1-and-benefit-note.md"),
        ("Unntakene i bestemmelsens bokstav a og b var ikke aktuelle",
         "modules-3-4-round3-sources.md"),
        ("(a) the person in question has intended to help the foreign national to evade the "
         "obligation to leave the realm, and (b) the assistance has made it more difficult for the "
         "authorities to implement removal of the foreign national",
         "modules-3-4-round3-sources.md"),
        ("replacing Council Directive 2002/90/EC and Council Framework Decision 2002/946 JHA",
         "modules-3-4-round3-sources.md"),
        ("en uberettiget vinning", "modules-3-4-round3-sources.md"),
        ("påføre en annen tap eller ulempe", "modules-3-4-round3-sources.md"),
        ("if the other conditions are fulfilled", "modules-3-4-round4-sources.md"),
        ("offences attributable to the attempt of a refugee to leave the country in the continuing "
         "course of a flight from persecution even after a short stopover in transit",
         "modules-3-4-round4-sources.md"),
        ("cannot be penalized if they are suspected or found to have been involved in organizing, "
         "assisting, or facilitating their own or others' illegal entry or stay, as long as they "
         "were the ones being smuggled, or if they took these actions to secure their own, their "
         "family's, or others' entry for humanitarian reasons", "modules-3-4-round4-sources.md"),
        ("Since protection against the treatment prohibited by Article 3 is absolute, that "
         "provision imposes an obligation not to extradite or expel any person who, in the "
         "receiving country, would run the real risk of being subjected to such treatment. As the "
         "Court has repeatedly held, there can be no derogation from that rule",
         "smuggling-round-2026-12-08.md"),
        ("or extradite a person to another State where there are substantial grounds for "
         "believing that he would be in danger of being subjected to torture",
         "smuggling-round-2026-12-08.md"),
        ("in the most extreme cases", "smuggling-round-2026-12-08.md"),
        ("vesentlig uriktige eller åpenbart villedende opplysninger",
         "smuggling-round-2026-12-08.md"),
        ("the applicants were under the continuous and exclusive de jure and de facto control of "
         "the Italian authorities", "smuggling-round-2026-12-08.md"),
        ("the consequence of their own conduct", "smuggling-round-2026-12-08.md"),
        ("A Carte Blanche to Push Backs at EU External Borders?", "smuggling-round-2026-12-08.md"),
        ("the approval of Adimi by the Appellate Committee of this House in a case called Asfaw",
         "smuggling-round-2026-12-08.md"),
        ("the drafting and proper meaning of Article 31(1)", "smuggling-round-2026-12-08.md"),
        ("the error of the living instrument interpretation advanced by the majority",
         "smuggling-round-2026-12-08.md"),
        ("Offences committed by refugees which are protected by Art 31 of the 1951 United Nations "
         "Convention relating to the Status of Refugees (the Refugee Convention) but which are not "
         "reflected in s 31 of the Immigration and Asylum Act 1999 (IAA 1999) cannot be read into "
         "that section", R2),
        ("may constitute an abuse of process, if the defendant has already been acquitted under "
         "s 31 of another offence arising out of the same facts", R2),
        ("which set out how article 31 and section 31 are to be interpreted", R2),
        ("could not reasonably be expected to have sought protection under the Refugee Convention "
         "in that other country", R2),
        ("even if the offence was committed in the course of an attempt to leave the UK", R2),
        ("with no justified ground for non-return", R2),
        ("being imprisoned solely because he or she has entered the territory of a Member State "
         "illegally across an internal border of the Schengen area", R2),
        ("som Noreg pliktar å etterleve, i mange tilfelle er til hinder for bruk av fengselsstraff "
         "for ulovleg opphald", R2),
        ("ved hjelp av falske visumopplysninger", R2),
        ("ikke falt inn under norsk straffelovgivning", R2),
        ("the continuous and exclusive de facto control of the Spanish authorities", R2),
        ("a ship at sea", "rescue-at-sea-and-facilitation-guidance.md"),
        ("persons are in distress at sea", "rescue-at-sea-and-facilitation-guidance.md"),
        ("for å bevare sammenhengen i en medlemsstats straffelovgivning",
         "modules-3-4-round3-sources.md"),
        ("At selve innreisen er ulovlig, er ikke et vilkår for straff", R2),
        ("be expected to have sought", R2),
        ("i riket eller i et annet land som deltar i Schengensamarbeidet",
         "norway-immigration-act-108.md"),
        ("Organizing or directing other persons to commit", R3),
        ("Subject to the basic concepts of its legal system", R3),
        ("as authorized by the flag State", R3),
        ("Ensure the safety and humane treatment of the persons on board", R3),
        ("The Commission clarified that the Facilitation Directive must be interpreted as "
         "precluding the criminalisation of NGOs or any other non-state actors that carry out "
         "search and rescue operations at sea", R3),
    ],
}


def _markdown(stem: str) -> str:
    nb = nbformat.read(str(ROOT / "course" / f"{stem}.ipynb"), as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("stem", QUOTED)
def test_the_module_quotes_each_of_its_texts_in_full(stem):
    quoted = set(blockquote_paragraphs(_markdown(stem)))
    missing = [name for name in QUOTED[stem] if PARAGRAPHS[name] not in quoted]
    assert not missing, f"{stem} does not quote in full: {missing}"


@pytest.mark.parametrize("stem", INLINE)
def test_short_quotations_are_word_for_word_what_was_read(stem):
    text = _flat(_markdown(stem))
    for phrase, source in INLINE[stem]:
        assert phrase in text, f"{stem}: the quotation is gone or changed: {phrase[:60]}"
        assert phrase in _flat((SOURCES / source).read_text(encoding="utf-8")), \
            f"{stem}: not found in {source}: {phrase[:60]}"


def test_section_257_letter_b_is_glossed_as_in_force_everywhere():
    """One wording of s. 257(1)(b), the one in force: forced labour or forced services."""
    stale = re.compile(r"\binto work or\s+services\b|\bwork or services,? including begging",
                       re.IGNORECASE)
    for path in sorted((ROOT / "course").glob("0[1-9]-*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert not stale.search(text), f"{path.name}: s. 257(1)(b) glossed as 'work or services'"


def test_module_4_sets_out_both_tiers_of_section_108():
    """Norway's smuggling offence has a basic tier (no gain, up to three years) and an aggravated
    tier (gain plus organised activity or danger to life, up to six years): both are set out, in
    the notebook and in the worked answer that applies them to D, C and J."""
    text = _flat(_markdown("04-smuggling"))
    for needed in ("fourth paragraph", "fifth paragraph", "up to three years", "up to six years",
                   "vinnings hensikt", "organised activity", "danger to life", "Rt. 2002 s. 476"):
        assert needed in text, f"04-smuggling: s. 108 tiers incomplete, missing {needed!r}"
    answer = _flat((ROOT / "instructor" / "04-smuggling-problem.md").read_text(encoding="utf-8"))
    assert "fifth paragraph" in answer and "Rt. 2002 s. 476" in answer
    m3 = _flat((ROOT / "instructor" / "03-who-defines-problem.md").read_text(encoding="utf-8"))
    assert "fifth paragraph" in m3, "module 3's worked answer does not weigh C's fee under s. 108"


def test_case_a_is_a_child_as_in_the_judgment_it_follows():
    """Case A follows V.C.L. and A.N., whose applicants were 15 and 17: Case A must be under 18."""
    text = _flat(_markdown("03-who-defines"))
    case_a = text[text.index("Case A: the cannabis house"):text.index("Case B:")]
    ages = [int(a) for a in re.findall(r"(\d+)-year-old", case_a)]
    assert ages and all(a < 18 for a in ages), f"Case A gives no age under 18: {ages}"
    assert "young men" not in text and "young people whom" not in text


def test_the_humanitarian_exemption_is_taught_with_its_two_exceptions():
    """s. 108's sixth paragraph is not a flat rule: letters (a) and (b) make the helper liable
    after all (intent to help evade the duty to leave; help that made removal harder). Whether
    both must be met (an unofficial translation's "and") or either is enough (the Supreme Court's
    summary's plural, "Unntakene") is left to the Norwegian text: neither reading is stated as
    settled in the notebook or its key points. Both marking guides say how the letters were read."""
    text = _flat(_markdown("04-smuggling"))
    assert "letters (a) and (b)" in text and "unofficial" in text
    assert "Two readings are open" in text
    assert "not two separate ways" not in text
    key_points = text[text.index("## Key points"):text.index("## References")]
    assert "the Norwegian text decides" in key_points
    assert "gives way only where both conditions" not in key_points
    for name in ("04-smuggling-problem.md", "03-who-defines-problem.md"):
        guide = _flat((ROOT / "instructor" / name).read_text(encoding="utf-8"))
        assert "does not depend on" in guide and "unread wording" in guide, name


def test_rescue_guidance_is_not_claimed_for_the_course_and_s31_2_is_a_tightening():
    """The Commission is not said to share 'the course's reading' on rescue, and its condition on
    non-state rescuers is raised; s. 31(2)'s rewritten test is taught as a change of substance."""
    text = _flat(_markdown("04-smuggling"))
    assert "the Commission shares" not in text
    assert "relevant legal framework" in text
    assert "limit itself is older" not in text
    assert "That tightens the defence" in text


def test_penal_code_charges_meet_treaty_limits_through_section_2_not_the_immigration_act():
    text = _flat(_markdown("04-smuggling"))
    section = text[text.index("How Art. 31 reaches a Norwegian court"):]
    assert section.index("Penal Code 2005, s. 2") < section.index("Rt. 2014 s. 645")
    assert "governs the Immigration Act, not the Penal Code" in section


def test_solas_is_said_to_bind_states_and_the_guidance_is_not_binding():
    text = _flat(_markdown("04-smuggling"))
    assert "binds the master directly" not in text
    assert "binds its Contracting Governments" in text
    key_points = text[text.index("## Key points"):text.index("## References")]
    assert "not binding" in key_points
    quiz = _flat((ROOT / "data" / "quizzes" / "04-smuggling.yaml").read_text(encoding="utf-8"))
    assert "cannot be used to punish" not in quiz and "(non-binding) Guidance" in quiz


def test_the_asfaw_dissent_is_not_given_a_ground_the_course_has_not_read():
    """The dissenting speeches were not reached, so no guided question asks about them, and the
    References say so (the student narrative itself carries no research caveats)."""
    text = _flat(_markdown("04-smuggling"))
    section = text[text.index("## Reading a judgment: R v Asfaw"):]
    section = section[:section.index("## ", 5)]
    questions = section[section.index("**Guided questions.**"):]
    references = text[text.index("## References"):]
    assert "the dissenting speeches were not read, so no guided question asks" in references
    assert not re.search(r"\b5\. ", questions)
    assert "dissented" not in questions


def test_coming_directly_is_left_open_not_settled_by_asfaw():
    """Asfaw's stopover was in the State she was leaving; H's route via Turkey is open."""
    answer = _flat((ROOT / "instructor" / "04-smuggling-problem.md").read_text(encoding="utf-8"))
    assert "the kind of stop *Asfaw* read purposively" not in answer
    assert "Coming directly: this is an open issue" in answer
    quiz = _flat((ROOT / "data" / "quizzes" / "04-smuggling.yaml").read_text(encoding="utf-8"))
    assert "Asfaw read it purposively" not in quiz
    assert "depends on her route and how long she stayed" in quiz


def test_article_6_help_is_not_overstated_as_mandatory():
    text = _flat(_markdown("03-who-defines"))
    assert "the Protocol's wording asks for help that does" not in text
    assert "only ask States to consider" in text


def test_vcl_trigger_is_attributed_and_the_constructive_limb_sourced():
    text = _flat(_markdown("03-who-defines"))
    assert "UNHCR's words" in text and "ought to be aware" in text
    assert "has been, or was at real and immediate risk of being" in text
    assert "Halsbury's Laws of England, para. 271" in text
    quiz = _flat((ROOT / "data" / "quizzes" / "03-who-defines.yaml").read_text(encoding="utf-8"))
    assert "ought to be aware of circumstances giving rise to one" in quiz


def test_module_4_names_the_current_document_offences_and_their_fit():
    """A false document is s. 361 (counterfeited or falsified); another person's genuine passport
    fits s. 361 badly and points to s. 202, whose wording the course has not read in full."""
    text = _flat(_markdown("04-smuggling"))
    assert "Penal Code 2005, s. 202" in text and "s. 361" in text
    assert "only to flee has either intent is doubtful" in text
    answer = _flat((ROOT / "instructor" / "04-smuggling-problem.md").read_text(encoding="utf-8"))
    assert "s. 7" in answer and "s. 361" in answer and "s. 202" in answer
