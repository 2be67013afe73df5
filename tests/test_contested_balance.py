"""The contested question is taught with balance: in the evidence-and-objections activity each
position has evidence of its own, and the evidence of each position meets at least one
objection (issue 14: a student on either side finds their position stated fairly)."""

from __future__ import annotations

import yaml

from trafficking_course.paths import data_dir

POSITIONS = {"abolitionist-evidence": "abolitionist", "sex-work-evidence": "sex-work"}


def _items() -> list[dict]:
    path = data_dir() / "activities" / "06-evidence-and-objections.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["items"]


def test_each_position_has_at_least_two_pieces_of_evidence():
    for category in POSITIONS:
        evidence = [i["id"] for i in _items() if category in i["answer"]]
        assert len(evidence) >= 2, f"{category}: {evidence}"


def test_the_evidence_of_each_position_meets_an_objection():
    objections = [i for i in _items() if "objection" in i["answer"]]
    for position in POSITIONS.values():
        aimed = [i["id"] for i in objections
                 if f"{position} position cites" in " ".join(i["feedback"].split())]
        assert aimed, f"no objection is aimed at the {position} position's evidence"


def test_each_position_has_theory_voices_and_evidence_and_meets_two_objections():
    """Issue 22: each side has its best evidence, and the evidence of each side meets more than
    one objection, so that neither side's evidence is the only evidence under fire."""
    for category in POSITIONS:
        evidence = [i["id"] for i in _items() if category in i["answer"]]
        assert len(evidence) >= 4, f"{category}: {evidence}"
    objections = [i for i in _items() if "objection" in i["answer"]]
    for position in POSITIONS.values():
        aimed = [i["id"] for i in objections
                 if f"{position} position cites" in " ".join(i["feedback"].split())]
        assert len(aimed) >= 2, f"{position}: objections aimed at its evidence: {aimed}"
