"""Every course figure has a title, axis labels, a source line on the figure and alt text that
carries its numbers; colours are the Okabe-Ito palette; missing values are not drawn as 0."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from trafficking_course import datasets, plots

TABLE = pd.DataFrame({
    "edition": [2020, 2020, 2024, 2024, 2024],
    "group": ["women", "girls", "women", "girls", "men"],
    "share_percent": [50.0, 19.0, 39.0, 22.0, 23.0],
})
ARGS = dict(title="Detected victims by group", xlabel="Group",
            ylabel="Share of detected victims (%)", source="Source: a test table")


def texts(cf):
    return [t.get_text() for t in cf.fig.findobj(lambda a: hasattr(a, "get_text"))]


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_a_figure_has_title_labels_source_and_alt_text(kind):
    frame = TABLE if kind == "bar" else TABLE.assign(edition=TABLE.edition)
    cf = getattr(plots, kind)(frame, "group" if kind == "bar" else "edition",
                              "share_percent", hue="edition" if kind == "bar" else "group",
                              unit="%", **ARGS)
    assert isinstance(cf.fig, Figure)
    ax = cf.fig.axes[0]
    assert ax.get_title(loc="left") == "Detected victims by group"
    assert ax.get_xlabel() and ax.get_ylabel() == "Share of detected victims (%)"
    assert "Source: a test table" in texts(cf)
    assert cf.alt_text.startswith(f"{kind.capitalize()} chart titled 'Detected victims")
    assert "Source: a test table" in cf.alt_text
    fig, alt = cf
    assert fig is cf.fig and alt == cf.alt_text


def test_alt_text_carries_every_number_and_says_not_given_for_missing():
    cf = plots.bar(TABLE, "group", "share_percent", hue="edition", unit="%",
                   summary="Women are the largest group", **ARGS)
    for number in ("50%", "19%", "39%", "22%", "23%"):
        assert number in cf.alt_text
    assert "Women are the largest group." in cf.alt_text
    assert "men: not given" in cf.alt_text  # 2020 has no figure for men
    labels = [t.get_text() for t in cf.fig.axes[0].texts]
    assert "n/g" in labels  # drawn as 'not given', not as a zero bar
    heights = [p.get_height() for p in cf.fig.axes[0].patches]
    assert len(heights) == 6 and sorted(heights)[0] == 0


def test_colours_are_okabe_ito_and_series_also_differ_by_hatch():
    cf = plots.bar(TABLE, "group", "share_percent", hue="edition", **ARGS)
    patches = cf.fig.axes[0].patches
    from matplotlib.colors import to_hex
    colours = {to_hex(p.get_facecolor()).upper() for p in patches}
    assert colours <= set(plots.OKABE_ITO.values())
    assert len({p.get_hatch() for p in patches}) == 2


def test_the_notebook_display_carries_the_alt_text_in_the_img_tag():
    cf = plots.bar(TABLE, "group", "share_percent", hue="edition", **ARGS)
    bundle = cf._repr_mimebundle_()
    assert bundle["text/html"].startswith('<figure><img src="data:image/png;base64,')
    assert 'alt="Bar chart titled &#x27;Detected victims by group&#x27;.' in bundle["text/html"]
    assert bundle["image/png"] and "Alt text:" in bundle["text/plain"]


def test_events_are_marked_and_named_in_the_alt_text():
    frame = pd.DataFrame({"year": [2012, 2016], "count": [349, 262]})
    cf = plots.line(frame, "year", "count", events={2009: "Sex purchase ban"},
                    title="Possible victims followed up", xlabel="Year",
                    ylabel="People (count)", source="KOM")
    assert "Marked: 2009: Sex purchase ban." in cf.alt_text
    assert cf.alt_text.endswith("Source: KOM")
    assert "Source: KOM" in texts(cf)


@pytest.mark.parametrize("missing", ["title", "xlabel", "ylabel", "source"])
def test_a_figure_without_title_labels_or_source_is_refused(missing):
    args = {**ARGS, missing: " "}
    with pytest.raises(ValueError, match=f"non-empty {missing}"):
        plots.bar(TABLE, "group", "share_percent", hue="edition", **args)


def test_save_writes_the_alt_text_beside_the_image(tmp_path):
    cf = plots.bar(TABLE, "group", "share_percent", hue="edition", **ARGS)
    cf.save(tmp_path / "fig.png")
    assert (tmp_path / "fig.png").stat().st_size > 1000
    assert (tmp_path / "fig.alt.txt").read_text().strip() == cf.alt_text


def test_a_course_table_plots_with_its_source_line():
    table = datasets.load("glotip_victims_by_form")
    table = table[table.edition == 2020]
    cf = plots.bar(table, "form", "share_percent", source=datasets.source_line(table.source_id),
                   title="t", xlabel="Form of exploitation", ylabel="Share (%)")
    assert "Global Report on Trafficking in Persons 2020" in cf.source
    assert "sexual_exploitation: 50" in cf.alt_text


def test_a_bar_chart_legend_never_covers_the_bars():
    cf = plots.bar(TABLE, "group", "share_percent", hue="edition", unit="%", **ARGS)
    cf.png()  # draw once, so that the layout is final
    renderer = cf.fig._get_renderer()
    ax = cf.fig.axes[0]
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.x0 >= ax.get_window_extent(renderer).x1 - 1


def test_long_category_labels_are_wrapped_not_overlapping():
    frame = pd.DataFrame({"group": ["trans/non-conforming", "not recorded", "women"],
                          "share_percent": [1.0, 6.0, 37.0]})
    cf = plots.bar(frame, "group", "share_percent", **ARGS)
    ticks = [t.get_text() for t in cf.fig.axes[0].get_xticklabels()]
    assert ticks == ["trans/non-\nconforming", "not\nrecorded", "women"]
    assert "trans/non-conforming: 1" in cf.alt_text  # the alt text keeps the whole label


def _kom_like():
    return pd.DataFrame({"year": [2012, 2013, 2014, 2016], "count": [349, 300, 324, 262],
                         "measure": ["followed up", "estimated", "estimated", "followed up"]})


def test_year_bars_keep_a_slot_for_every_year_and_name_each_gap():
    fig = plots.year_bars(_kom_like(), "year", "count", hue="measure", title="t", xlabel="Year",
                          ylabel="People", source="Source: s",
                          gaps={(2007, 2011): "not read", 2015: "not read"},
                          events={2009: "ban in force"})
    ticks = [t.get_text() for t in fig.ax.get_xticklabels()]
    assert ticks == [str(y) for y in range(2007, 2017)]  # 2015 and 2007-2011 do not vanish
    heights = {round(p.get_x() + p.get_width() / 2): p.get_height()
               for bars in fig.ax.containers for p in bars}
    assert heights == {2012: 349, 2013: 300, 2014: 324, 2016: 262}  # no bar drawn as zero
    assert "2015: no bar (not read)" in fig.alt_text
    assert "2007-2011: no bar (not read)" in fig.alt_text
    assert "Marked before 2009: ban in force" in fig.alt_text
    assert "estimated: 2013: 300, 2014: 324" in fig.alt_text
    assert len(fig.ax.get_legend().get_texts()) == 2  # each measure in the legend


def test_year_bars_refuse_a_gap_over_a_year_that_has_a_bar():
    with pytest.raises(ValueError, match=r"years \[2014\] have a bar"):
        plots.year_bars(_kom_like(), "year", "count", hue="measure", title="t",
                        xlabel="Year", ylabel="People", source="s", gaps={(2014, 2015): "x"})


def test_a_bar_given_as_approximate_says_so_in_its_label_and_alt_text():
    """GLOTIP 2018's 'around half' adult women must not look as exact as a read 46%."""
    import pandas as pd

    from trafficking_course import plots

    frame = pd.DataFrame({"group": ["women", "women", "girls"],
                          "edition": ["2018", "2020", "2018"],
                          "share": [50, 46, 23], "approx": [True, False, False]})
    fig = plots.bar(frame, "group", "share", hue="edition", title="t", xlabel="x",
                    ylabel="y", source="Source: s", unit="%", approximate="approx")
    labels = [t.get_text() for t in fig.ax.texts]
    assert "about 50%" in labels and "46%" in labels and "about 46%" not in labels
    assert "Approximate in the source: women (2018)." in fig.alt_text
    plain = plots.bar(frame, "group", "share", hue="edition", title="t", xlabel="x",
                      ylabel="y", source="Source: s", unit="%")
    assert "about 50%" not in [t.get_text() for t in plain.ax.texts]
    assert "Approximate" not in plain.alt_text
