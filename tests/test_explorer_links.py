"""The element explorer: the links of Art. 3(a), nationality that follows the facts, and the
"When were the means used?" control that is neither cut nor hidden (issue 24)."""

from __future__ import annotations

import re

import ipywidgets as w

from trafficking_course.law import MEANS_STAGES
from trafficking_course.widgets import ElementExplorer
from trafficking_course.widgets._common import WIDGETS_CSS

MODULE_1_CASE = {"acts": ["recruitment", "transportation", "receipt"],
                 "means": ["deception", "other_coercion", "threat_of_force"],
                 "purposes": ["forced_labour"], "age": 26, "means_stage": "both"}


def _css_rule(selector_part: str) -> str:
    return " ".join(body for sel, body in re.findall(r"([^{}]+)\{([^}]*)\}", WIDGETS_CSS)
                    if selector_part in sel)


def test_module_1_case_recruited_at_home_does_not_read_not_a_national_met():
    text = ElementExplorer(MODULE_1_CASE).reasons_html.value
    assert "Not a national or permanent resident (met)" not in text
    assert "Not a national or permanent resident (not at issue)" in text


def test_the_stage_control_shows_every_value_whole_and_its_label_above_it():
    e = ElementExplorer(MODULE_1_CASE)
    # a menu (<select>) shows one line and cut "forced to start and forced to stay on" in a
    # 15em column; radio options are each a label of their own that wraps (widgets.css)
    assert isinstance(e.means_stage, w.RadioButtons)
    assert [label for label, _ in e.means_stage.options][1:] == list(MEANS_STAGES.values())
    assert "white-space: normal" in _css_rule(".widget-radio-box label")
    # the label above the options takes the height it needs (a 28px line let it run under)
    assert "tc-stacked" in e.means_stage._dom_classes
    assert "height: auto" in _css_rule(".tc-stacked .widget-label")
    e.means_stage.value = "recruitment"
    assert e.state["facts"]["means_stage"] == "recruitment"


def test_unticking_a_link_takes_the_means_away_and_says_why():
    e = ElementExplorer({"acts": ["transportation"], "means": ["deception"],
                         "purposes": ["forced_labour"], "age": 30})
    assert e.state["verdict"] == "trafficking"
    assert "means_used_for_act" not in e.state["facts"]       # presumed, as facts omit it
    e.link_boxes["means_used_for_act"].value = False
    assert e.state["verdict"] == "neither"
    assert e.state["facts"]["means_used_for_act"] is False
    assert "not used to secure the act" in e.reasons_html.value
    assert "Means" in e.state["change"]
    e.link_boxes["means_used_for_act"].value = True
    e.link_boxes["purpose_at_time_of_act"].value = False
    assert e.state["verdict"] == "neither"
    assert "for the purpose of exploitation" in e.reasons_html.value
    e.purpose_boxes["forced_labour"].value = False     # no purpose: the link box is hidden
    assert e.link_boxes["purpose_at_time_of_act"].layout.display == "none"
