"""One figure style for the course: colour-blind-safe, labelled, sourced, with alt text.

Every figure the notebooks show is a CourseFigure: a matplotlib Figure with a title, axis
labels (with units), a source line printed on the figure, and an alt text that describes the
figure and its numbers for people who cannot see it. In a notebook a CourseFigure displays
as an <img> carrying that alt text (plus the PNG itself); `fig, alt_text = course_figure`
unpacks it.

The colours are the Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2008), which
stays distinguishable with the common forms of colour blindness. Figures are built on
matplotlib.figure.Figure, not pyplot, so a notebook shows each figure once, with its alt text.
"""

from __future__ import annotations

import base64
import html
import io
import math
import textwrap
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

#: The Okabe-Ito colours, by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: The order in which series take colours (yellow last: weak contrast on white).
PALETTE = tuple(OKABE_ITO[c] for c in ("blue", "orange", "bluish_green", "vermillion",
                                        "reddish_purple", "sky_blue", "black", "yellow"))
#: Hatches as a second cue besides colour, in the same order as PALETTE.
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "++", "oo")

STYLE = {
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#DDDDDD",
    "legend.frameon": False,
}


@dataclass
class CourseFigure:
    """A finished figure: the matplotlib Figure and its alt text."""

    fig: Figure
    alt_text: str
    title: str
    source: str
    ax: object = field(repr=False, default=None)

    def __iter__(self):  # fig, alt_text = course_figure
        return iter((self.fig, self.alt_text))

    def png(self, dpi: int = 110) -> bytes:
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
        return buf.getvalue()

    def save(self, path, dpi: int = 150) -> None:
        """Save the image and, beside it, the alt text (same name, .alt.txt)."""
        from pathlib import Path

        path = Path(path)
        self.fig.savefig(path, dpi=dpi, bbox_inches="tight")
        path.with_suffix(".alt.txt").write_text(self.alt_text + "\n", encoding="utf-8")

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = base64.b64encode(self.png()).decode("ascii")
        alt = html.escape(self.alt_text, quote=True)
        return {
            "text/html": (f'<figure><img src="data:image/png;base64,{data}" alt="{alt}" '
                          f'style="max-width:100%"></figure>'),
            "image/png": data,
            "text/plain": f"Figure: {self.title}\nAlt text: {self.alt_text}",
        }


def _require(**texts) -> None:
    for name, value in texts.items():
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"a course figure needs a non-empty {name}")


def new_figure(width: float = 7.5, height: float = 4.2):
    """A Figure and Axes in the course style (not registered with pyplot)."""
    with _style():
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
    return fig, ax


def _style():
    import matplotlib as mpl

    return mpl.rc_context({**STYLE, "axes.prop_cycle": mpl.cycler(color=PALETTE)})


def finish(fig: Figure, ax, *, title: str, xlabel: str, ylabel: str, source: str,
           alt_text: str) -> CourseFigure:
    """Put title, axis labels and the source line on a figure; return it with its alt text.

    Raises ValueError when any of them is missing: a course figure always has all five.
    """
    _require(title=title, xlabel=xlabel, ylabel=ylabel, source=source, alt_text=alt_text)
    with _style():
        ax.set_title(title, loc="left")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if not source.lower().startswith("source"):
            source = "Source: " + source
        fig.supxlabel(source, x=0.01, ha="left", fontsize=8, color="#444444",
                      wrap=True)
    return CourseFigure(fig=fig, alt_text=alt_text, title=title, source=source, ax=ax)


def _fmt(value) -> str:
    if value is None or pd.isna(value):
        return "not given"
    return f"{value:,.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


def _describe(kind: str, table: pd.DataFrame, *, title, xlabel, ylabel, unit, summary, source):
    """Alt text: what the chart is, then every number in it, then the source."""
    parts = [f"{kind} titled '{title}'."]
    if summary:
        parts.append(summary.strip().rstrip(".") + ".")
    parts.append(f"{ylabel} by {xlabel}.")
    for series in table.columns:
        values = ", ".join(f"{idx}: {_fmt(v)}{unit if not pd.isna(v) else ''}"
                           for idx, v in table[series].items())
        label = "" if series is None or series == "_value" else f"{series}: "
        parts.append(f"{label}{values}.")
    parts.append(source if source.lower().startswith("source") else f"Source: {source}")
    return " ".join(parts)


def _wide(frame: pd.DataFrame, x: str, y: str, hue: str | None) -> pd.DataFrame:
    for col in (x, y) + ((hue,) if hue else ()):
        if col not in frame.columns:
            raise KeyError(f"no column {col!r} in the table (columns: {list(frame.columns)})")
    if hue is None:
        table = frame.set_index(x)[[y]].rename(columns={y: "_value"})
    else:
        table = frame.pivot_table(index=x, columns=hue, values=y, aggfunc="first",
                                  sort=False, dropna=False)
    return table.astype("float64")


def _tick_label(value, width: int = 11) -> str:
    """A category label wrapped onto short lines, so that neighbouring labels cannot overlap."""
    text = str(value).replace("/", "/ ")
    return textwrap.fill(text, width=width, break_long_words=False).replace("/ ", "/")


def bar(frame: pd.DataFrame, x: str, y: str, *, hue: str | None = None, title: str,
        xlabel: str, ylabel: str, source: str, summary: str = "", unit: str = "",
        value_labels: bool = True, width: float = 7.5, height: float = 4.2,
        watermark: str = "", approximate: str | None = None) -> CourseFigure:
    """Bars of `y` for each `x` (grouped by `hue`), labelled, sourced, with alt text.

    A missing value is drawn as no bar with the label 'n/g' (not given), never as zero.
    `summary` opens the alt text (the figure's point in one sentence); `unit` follows each
    number in the alt text and the value labels (e.g. '%'). `watermark` (e.g. 'SYNTHETIC')
    is written large across the plot, over the bars, and named in the alt text. The value
    axis always starts at zero: a bar's length is its value. `approximate` names a boolean
    column: a bar whose source gives its value as approximate is labelled 'about 50%', in the
    value label and in the alt text, never as if it were exact.
    """
    table = _wide(frame, x, y, hue)
    approx = (_wide(frame.assign(**{approximate: frame[approximate].fillna(False).astype(float)}),
                    x, approximate, hue).reindex_like(table).fillna(0) > 0
              if approximate else table.isna() & False)
    fig, ax = new_figure(width, height)
    n = len(table.columns)
    step = 0.8 / n
    with _style():
        for k, series in enumerate(table.columns):
            positions = [i - 0.4 + step * (k + 0.5) for i in range(len(table))]
            values = table[series].tolist()
            drawn = [0 if math.isnan(v) else v for v in values]
            bars = ax.bar(positions, drawn, width=step * 0.95, color=PALETTE[k % len(PALETTE)],
                          hatch=HATCHES[k % len(HATCHES)], edgecolor="white",
                          label=None if series == "_value" else str(series))
            if value_labels:
                flags = approx[series].tolist()
                labels = ["n/g" if math.isnan(v) else f"{'about ' if a else ''}{_fmt(v)}{unit}"
                          for v, a in zip(values, flags, strict=True)]
                ax.bar_label(bars, labels=labels, fontsize=8, padding=2)
        ax.set_xticks(range(len(table)), [_tick_label(i) for i in table.index])
        if (table < 0).any().any():
            ax.axhline(0, color=OKABE_ITO["black"], linewidth=0.8)
        if hue is not None:
            # outside the axes, so that the legend can never hide a bar or its label
            ax.legend(title=hue.replace("_", " "), loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.margins(y=0.12)
        if not (table < 0).any().any():
            ax.set_ylim(bottom=0)
        if watermark:
            ax.text(0.5, 0.5, watermark, transform=ax.transAxes, ha="center", va="center",
                    rotation=20, fontsize=48, fontweight="bold", color="#666666", alpha=0.3,
                    zorder=5)
    alt = _describe("Bar chart", table, title=title, xlabel=xlabel, ylabel=ylabel, unit=unit,
                    summary=summary, source=source)
    if approx.any().any():
        marked = [f"{i} ({c})" if c != "_value" else str(i)
                  for c in approx.columns for i in approx.index[approx[c]]]
        alt = f"{alt.rstrip('.')}. Approximate in the source: {', '.join(marked)}."
    if watermark:
        alt = f"{alt.rstrip('.')}. The chart is marked {watermark} across its plot area."
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source,
                  alt_text=alt)


def line(frame: pd.DataFrame, x: str, y: str, *, hue: str | None = None, title: str,
         xlabel: str, ylabel: str, source: str, summary: str = "", unit: str = "",
         events: dict | None = None, width: float = 7.5, height: float = 4.2) -> CourseFigure:
    """Lines with markers of `y` over `x` (one per `hue`); `events` {x: label} draws dashed
    vertical marks (e.g. a law coming into force) that the alt text also names."""
    table = _wide(frame, x, y, hue).sort_index()
    fig, ax = new_figure(width, height)
    markers = ("o", "s", "^", "D", "v", "P", "X", "*")
    with _style():
        for k, series in enumerate(table.columns):
            ax.plot(table.index, table[series], marker=markers[k % len(markers)],
                    color=PALETTE[k % len(PALETTE)],
                    label=None if series == "_value" else str(series))
        for at, label in (events or {}).items():
            ax.axvline(at, color=OKABE_ITO["black"], linestyle="--", linewidth=1)
            ax.annotate(label, xy=(at, 1), xycoords=("data", "axes fraction"), fontsize=8,
                        ha="left", va="top", xytext=(3, -2), textcoords="offset points")
        if hue is not None:
            ax.legend(title=hue.replace("_", " "))
    alt = _describe("Line chart", table, title=title, xlabel=xlabel, ylabel=ylabel,
                    unit=unit, summary=summary, source=source)
    if events:
        alt = alt.replace(" Source:", " Marked: " + "; ".join(
            f"{at}: {label}" for at, label in events.items()) + ". Source:", 1)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source,
                  alt_text=alt)


def _gap_spans(gaps: dict | None) -> list[tuple[int, int, str]]:
    spans = []
    for key, label in (gaps or {}).items():
        first, last = (key, key) if isinstance(key, int) else (int(key[0]), int(key[1]))
        if last < first:
            raise ValueError(f"gap {key!r}: its last year comes before its first")
        spans.append((first, last, str(label)))
    return sorted(spans)


def year_bars(frame: pd.DataFrame, year: str, y: str, *, hue: str, title: str, xlabel: str,
              ylabel: str, source: str, gaps: dict | None = None, events: dict | None = None,
              summary: str = "", width: float = 8.5, height: float = 4.6) -> CourseFigure:
    """Bars on a numeric year axis, one slot for every year from the first to the last shown,
    so that years without a figure stay visible as empty slots instead of closing up.

    Each value of `hue` (e.g. a measure: what was counted) has its own colour, hatch and
    legend entry. `gaps` maps a year or a (first, last) span to the reason it is empty, which
    is written in the shaded slot and in the alt text; a gap over a year that has a bar is an
    error. `events` {year: label} draw a dashed line at the start of that year.
    """
    for col in (year, y, hue):
        if col not in frame.columns:
            raise KeyError(f"no column {col!r} in the table (columns: {list(frame.columns)})")
    spans = _gap_spans(gaps)
    years = [int(v) for v in frame[year]]
    clash = sorted({v for v in years for a, b, _ in spans if a <= v <= b})
    if clash:
        raise ValueError(f"years {clash} have a bar and are also marked as a gap")
    lo = min(years + [a for a, _, _ in spans] + list(events or {}))
    hi = max(years + [b for _, b, _ in spans])
    series = list(dict.fromkeys(frame[hue]))
    fig, ax = new_figure(width, height)
    with _style():
        for k, name in enumerate(series):
            part = frame[frame[hue] == name]
            bars = ax.bar(part[year].astype(int), part[y], width=0.7,
                          color=PALETTE[k % len(PALETTE)], hatch=HATCHES[k % len(HATCHES)],
                          edgecolor="white", label=str(name))
            ax.bar_label(bars, labels=[_fmt(v) for v in part[y]], fontsize=8, padding=2)
        for a, b, label in spans:
            ax.axvspan(a - 0.45, b + 0.45, color="#EEEEEE", zorder=0)
            ax.text((a + b) / 2, 0.5 if b == a else 0.03, label,
                    transform=ax.get_xaxis_transform(), rotation=90 if b == a else 0,
                    ha="center", va="center" if b == a else "bottom", fontsize=8,
                    color="#444444")
        for at, label in (events or {}).items():
            ax.axvline(at - 0.5, color=OKABE_ITO["black"], linestyle="--", linewidth=1)
            ax.annotate(label, xy=(at - 0.5, 0.8), xycoords=("data", "axes fraction"),
                        fontsize=8, ha="left", va="top", xytext=(3, 0),
                        textcoords="offset points")
        ax.set_xticks(range(lo, hi + 1), [str(v) for v in range(lo, hi + 1)], rotation=90)
        ax.set_xlim(lo - 0.6, hi + 0.6)
        ax.set_ylim(0, float(frame[y].max()) * 1.3)
        ax.legend(title=hue.replace("_", " "), loc="upper right", fontsize=8,
                  framealpha=1.0, frameon=True)
    alt = _year_alt(frame, year, y, hue, series, spans, events or {}, title=title,
                    xlabel=xlabel, ylabel=ylabel, summary=summary, source=source)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source,
                  alt_text=alt)


def _year_alt(frame, year, y, hue, series, spans, events, *, title, xlabel, ylabel, summary,
              source) -> str:
    """Alt text of year_bars: every bar by series, every empty slot and why, every mark."""
    parts = [f"Bar chart on a year axis titled '{title}'."]
    if summary:
        parts.append(summary.strip().rstrip(".") + ".")
    parts.append(f"{ylabel} by {xlabel}.")
    for name in series:
        part = frame[frame[hue] == name]
        parts.append(f"{name}: " + ", ".join(
            f"{int(a)}: {_fmt(v)}" for a, v in zip(part[year], part[y], strict=True)) + ".")
    for a, b, label in spans:
        parts.append(f"{a}{'' if a == b else f'-{b}'}: no bar ({label}).")
    for at, label in events.items():
        parts.append(f"Marked before {at}: {label}.")
    parts.append(source if source.lower().startswith("source") else f"Source: {source}")
    return " ".join(parts)
