"""ipywidgets views over the course's pure model; each exposes `.state` as plain Python values.

    from trafficking_course.widgets import ScenarioClassifier, ElementExplorer, \\
        IndicatorChecklist, Quiz, CategorySorter

Every widget constructs without a front end and can be driven headless: set a control's
`.value`, call a button's `.click()`, read `.state` and the feedback widgets' `.value`.

All of them stand on one base, _common.ActivityWidget: the learner's progress saved under one
key and restored on the next visit, the class .tc-widget, and an invisible output with the
widgets' style sheet (widgets.css: labels that wrap, the result line's look) and keyboard
script (keyboard.js: no key pressed in a widget reaches JupyterLab's notebook shortcuts; a
quiz's radio options are one group, one Tab stop, moved through with the arrow keys).
Every label comes from trafficking_course.law's vocabulary; no code name reaches a student.
"""

from trafficking_course.widgets.checklist import IndicatorChecklist
from trafficking_course.widgets.classifier import ScenarioClassifier
from trafficking_course.widgets.explorer import ElementExplorer
from trafficking_course.widgets.quiz import Quiz
from trafficking_course.widgets.sorter import CategorySorter

__all__ = ["CategorySorter", "ElementExplorer", "IndicatorChecklist", "Quiz",
           "ScenarioClassifier"]
