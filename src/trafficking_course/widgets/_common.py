"""Small shared pieces of the widgets: turning the model's plain-text feedback into HTML."""

from __future__ import annotations

import html

import ipywidgets as w


def text_to_html(text: str) -> str:
    """Plain text (one statement per line, "- " for list items) as simple, escaped HTML.

    The first words of the text stay the first words of the HTML, so "Correct" or "Not quite"
    is what a screen reader announces first.
    """
    out: list[str] = []
    in_list = False
    for line in text.splitlines():
        if line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{html.escape(line[2:], quote=False)}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        out.append(f"<p>{html.escape(line, quote=False)}</p>")
    if in_list:
        out.append("</ul>")
    return "".join(out)


def live_html(text: str) -> str:
    """text_to_html wrapped in a polite live region, so screen readers announce updates."""
    return f'<div role="status" aria-live="polite">{text_to_html(text)}</div>' if text else ""


def feedback_widget() -> w.HTML:
    """An HTML widget for feedback, marked with the CSS class the browser tests look for."""
    box = w.HTML(value="", layout=w.Layout(width="auto"))
    box.add_class("tc-feedback")
    return box


def heading(text: str, level: int = 3) -> w.HTML:
    return w.HTML(f"<h{level}>{html.escape(text, quote=False)}</h{level}>")


AUTO = {"width": "auto"}
