"""The shared evidence base of the debate on prostitution and sex work (review m56, finding 11):
one lecturer-editable file that modules 6 and 8 both show, with the same caveats for both sides."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from trafficking_course.content.debate import (
    COLUMNS,
    DebateEvidenceError,
    debate_rows,
    debate_table_html,
    load_debate,
)
from trafficking_course.paths import data_dir

DEBATE = "prostitution-and-sex-work"


def _doc() -> dict:
    return yaml.safe_load((data_dir() / "debate" / f"{DEBATE}.yaml").read_text("utf-8"))


def _write(tmp_path: Path, doc: dict) -> Path:
    (tmp_path / f"{doc['id']}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    return tmp_path


def test_each_position_has_its_evidence_and_every_item_its_caveats():
    """Each position has several rows, but the counts need not match: a row is added because it
    is a distinct piece of evidence, not to balance the count (review m6, finding 10: matching
    counts had put a court's ruling and a repeated measurement in the table as evidence)."""
    debate = load_debate(DEBATE)
    counts = {p.id: len(debate.items_of(p.id)) for p in debate.positions}
    assert min(counts.values()) >= 4, counts
    for item in debate.items:
        assert item.authorship and item.objection and item.reply and item.left_standing


def test_no_court_ruling_is_counted_as_evidence_and_a_repeat_says_so():
    items = {i.id: i for i in load_debate(DEBATE).items}
    assert not any("ECtHR" in i.source or "judgment of" in i.source for i in items.values())
    assert "not independent evidence" in items["stockholm-street-survey-2014"].left_standing


def test_the_rows_alternate_while_both_positions_have_rows():
    debate = load_debate(DEBATE)
    rows = debate_rows(debate)
    labels = [r[0] for r in rows]
    paired = 2 * min(len(debate.items_of(p.id)) for p in debate.positions)
    assert all(a != b for a, b in zip(labels[:paired], labels[1:paired], strict=False)), labels
    assert COLUMNS[-1] == "What is left standing"
    assert [r[-1] for r in rows] == [i.left_standing for i in debate.interleaved()]


def test_platt_is_attributed_to_policing_of_sex_workers_and_the_model_to_a_model():
    items = {i.id: i for i in load_debate(DEBATE).items}
    platt = items["platt-repressive-policing"]
    assert "policing of sex workers" in platt.finding
    assert "only buyers" in platt.objection
    assert "model" in items["shannon-decriminalisation-model"].objection


def test_only_selects_items_and_an_unknown_id_is_named():
    debate = load_debate(DEBATE)
    rows = debate_rows(debate, only=["sou-2010-49", "amnesty-norway"])
    assert [r[1][:6] for r in rows] == ["Sweden", "Fifty-"]
    with pytest.raises(DebateEvidenceError, match="no-such-item"):
        debate_rows(debate, only=["no-such-item"])


def test_html_escapes_every_cell(tmp_path):
    doc = _doc()
    doc["items"][0]["finding"] = "<script>alert(1)</script> and a finding long enough"
    debate = load_debate(DEBATE, _write(tmp_path, doc))
    out = debate_table_html(debate)
    assert "<script>" not in out and "&lt;script&gt;" in out


@pytest.mark.parametrize("field", ["authorship", "objection", "left_standing"])
def test_a_missing_caveat_is_an_error_naming_file_item_and_field(tmp_path, field):
    doc = _doc()
    del doc["items"][1][field]
    with pytest.raises(DebateEvidenceError) as err:
        load_debate(DEBATE, _write(tmp_path, doc))
    assert err.value.field == f"items.1.{field}" or err.value.field == field
    assert DEBATE in str(err.value) and doc["items"][1]["id"] in str(err.value)


def test_an_unknown_position_and_a_duplicate_id_are_errors(tmp_path):
    doc = _doc()
    doc["items"][2]["position"] = "neutral"
    with pytest.raises(DebateEvidenceError, match="neutral") as err:
        load_debate(DEBATE, _write(tmp_path, doc))
    assert err.value.field == "items.2.position"
    doc = _doc()
    doc["items"][3]["id"] = doc["items"][0]["id"]
    with pytest.raises(DebateEvidenceError, match="duplicate") as err:
        load_debate(DEBATE, _write(tmp_path, doc))
    assert err.value.field == "items.3.id"


def test_a_position_without_evidence_is_an_error(tmp_path):
    doc = _doc()
    doc["items"] = [i for i in doc["items"] if i["position"] == "abolitionist"]
    with pytest.raises(DebateEvidenceError, match="sex-work"):
        load_debate(DEBATE, _write(tmp_path, doc))


def test_the_table_holds_the_evidence_module_8_uses_with_its_objections():
    """Review m56 round 2, finding 1: the items module 8 discusses are in the shared file, and the
    critiques module 8 names are the objections to them, not separate rows."""
    items = {i.id: i for i in load_debate(DEBATE).items}
    assert {"pro-sentret-violence-survey", "stockholm-street-survey-2014"} <= set(items)
    assert "Dodillet" in items["sou-2010-49"].objection
    assert "Kvinnefronten" in items["amnesty-norway"].objection
    assert "cannot tell whether" in items["pro-sentret-violence-survey"].objection
    platt = items["platt-repressive-policing"]
    assert "only through its definitions and qualitative studies" in platt.objection
    attitudes = items["attitudes-buyer-bans"]
    assert "Niklas Jakobsson" in attitudes.authorship and "Niclas" not in attitudes.authorship
    assert "Norwegian Justice Department" in attitudes.authorship
    assert "Prostitution Research and Education" in items["farley-nine-countries"].authorship


def test_every_source_of_the_table_is_cited_in_module_6_or_module_8():
    import nbformat

    root = Path(__file__).resolve().parents[1] / "course"
    text = " ".join(c.source for stem in ("06-gender", "08-policy")
                    for c in nbformat.read(str(root / f"{stem}.ipynb"), as_version=4).cells)
    keys = {"farley-nine-countries": "Farley", "platt-repressive-policing": "Platt",
            "cho-legal-inflows": "Cho", "shannon-decriminalisation-model": "Shannon",
            "sou-2010-49": "SOU 2010:49", "vuolajarvi-nordic-migrants": "Vuolajärvi",
            "attitudes-buyer-bans": "Jonsson", "amnesty-norway": "Crushing",
            "stockholm-street-survey-2014": "Prostitution in Sweden 2014",
            "pro-sentret-violence-survey": "Farlige forbindelser",
            "northern-ireland-review-2019": "Ellison",
            "vista-analyse-2014-30": "Vista Analyse", "ciacci-sweden-rape": "Ciacci"}
    ids = {i.id for i in load_debate(DEBATE).items}
    assert ids == set(keys), ids ^ set(keys)
    missing = [k for k, word in keys.items() if word not in text]
    assert not missing, missing


def test_the_authorship_caveats_are_dated_and_funded_as_read():
    """Review m6 finding 9 and the module 8 review: the Lancet series' funders are named, and
    Amnesty's decision is dated to August 2015, before its Norway report."""
    items = {i.id: i for i in load_debate(DEBATE).items}
    shannon = items["shannon-decriminalisation-model"].authorship
    assert "Gates" in shannon and "UNFPA" in shannon and "not checked" not in shannon
    assert "August 2015" in items["amnesty-norway"].authorship
    ciacci = items["ciacci-sweden-rape"]
    assert "sex tourism" in ciacci.finding and "year effects" in ciacci.objection
    assert "reported rapes" in ciacci.reply
