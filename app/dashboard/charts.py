"""Charts drawn on the server with pygal, as SVG images the page embeds as data: URIs.

An SVG loaded as an image keeps its own <style> and runs no script, so the page's CSP (no
inline style, no inline script) holds; pygal's JavaScript is switched off (js=[], and its inline
configuration script is dropped), and the text stays text, drawn with the reader's Korean fonts.
Every chart has its table beside it.
"""

import base64
import sys
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import pygal
from pydantic import BaseModel
from pygal.style import Style

from app import vocab
from app.dashboard.labels import label_of, step_label
from app.dashboard.schemas import (
    BreakdownRow,
    Concentration,
    DashboardOut,
    FunnelStep,
    MetricOutcome,
    Progress,
    PublicDashboardOut,
    SponsorDashboardOut,
    StageTime,
)
from app.i18n import gettext

# pygal appends a legacy import hook (for its map plugins, unused here) that makes every later
# failed import warn (ImportWarning: find_spec() not found); take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]
FONT = '"Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif'
LOOK = {
    "font_family": FONT,
    "background": "#ffffff",
    "plot_background": "#ffffff",
    "foreground": "#1c2430",
    "foreground_strong": "#1c2430",
    "foreground_subtle": "#c9d1dc",
    "colors": ("#0b5cab", "#1e7a43", "#c77700", "#7a4fa3", "#b42318"),
    "title_font_size": 17,
    "label_font_size": 13,
    "major_label_font_size": 13,
    "value_font_size": 13,
    "legend_font_size": 13,
    "no_data_font_size": 20,
}
STYLE = Style(**LOOK)
GAUGE_STYLE = Style(**{**LOOK, "value_font_size": 28})
BASE_MARGIN = 20


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def text_width(text: str, size: int) -> float:
    """Roughly how wide text is drawn: Hangul and other wide characters take a full em."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)
    return ems * size


def _without_scripts(root: Any) -> Any:
    """pygal writes its tooltip configuration as an inline script even with js=[], and its
    web addresses in comments: drop both (a comment's tag is a function, not a name)."""
    for parent in list(root.iter()):
        for child in list(parent):
            if callable(child.tag) or str(child.tag).endswith("script"):
                parent.remove(child)
    return root


def _config(locale: str, title: str, **options: object) -> dict[str, object]:
    return {
        "js": [],
        "style": STYLE,
        "title": title,
        "no_data_text": gettext(locale, "No data yet"),
        "truncate_label": -1,
        "truncate_legend": -1,
        "print_values": True,
        "print_zeroes": False,
        "explicit_size": True,
        "disable_xml_declaration": True,
        **options,
    }


def _left_margin(labels: Sequence[str]) -> float:
    """pygal sizes label room at 0.6 em a character; Korean needs about a full em."""
    size = STYLE.label_font_size
    extra = max((text_width(t, size) - 0.6 * len(t) * size for t in labels), default=0)
    return BASE_MARGIN + extra


def _render(chart: pygal.graph.graph.Graph) -> str:
    chart.add_xml_filter(_without_scripts)
    return data_uri(chart.render(is_unicode=True))


def funnel(steps: list[FunnelStep], locale: str) -> str:
    labels = [step_label(s.step, locale) for s in reversed(steps)]
    chart = pygal.HorizontalBar(
        **_config(locale, gettext(locale, "Needs at each step"), width=760, height=420),
        show_legend=False,
        margin_left=_left_margin(labels),
    )
    chart.x_labels = labels
    chart.add(gettext(locale, "Needs"), [s.count for s in reversed(steps)])
    return _render(chart)


def breakdown(
    rows: list[BreakdownRow], terms: dict[str, vocab.Term], title: str, locale: str
) -> str:
    """Needs posted, approved and deployed for the largest groups."""
    shown = list(reversed(rows[:8]))
    labels = [label_of(terms, r.code, locale) for r in shown]
    chart = pygal.HorizontalBar(
        **_config(locale, title, width=760, height=120 + 48 * max(len(shown), 1)),
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        margin_left=_left_margin(labels),
    )
    chart.x_labels = labels
    for step in ("posted", "approved", "deployment"):
        chart.add(step_label(step, locale), [r.counts[step] for r in shown])
    return _render(chart)


def stage_times(rows: list[StageTime], locale: str) -> str:
    chart = pygal.Bar(
        **_config(locale, gettext(locale, "Median days in each stage"), width=760, height=360),
        show_legend=False,
        value_formatter=lambda v: f"{v:g}",
    )
    chart.x_labels = [step_label(r.stage, locale) for r in rows]
    chart.add(gettext(locale, "Median days"), [r.median_days for r in rows])
    return _render(chart)


def gauge(value: int, goal: int, title: str, locale: str) -> str:
    """How far a count is towards its goal, the count in the middle of a half ring."""
    chart = pygal.SolidGauge(
        **_config(locale, title, width=300, height=220, style=GAUGE_STYLE, print_values=False),
        half_pie=True,
        inner_radius=0.68,
        show_legend=False,
        margin=4,
        value_formatter=lambda v: f"{v:,.0f}",
    )
    chart.add(title, [{"value": value, "max_value": goal}])
    return _render(chart)


def concentration(figures: Concentration, locale: str) -> str:
    title = gettext(locale, "Share of engagements")
    chart = pygal.Pie(
        **_config(locale, title, width=460, height=340),
        inner_radius=0.45,
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        value_formatter=lambda v: f"{v:.0f}%",
    )
    if figures.top_share is not None:
        top = figures.top_share * 100
        chart.add(gettext(locale, "Top 15%% of suppliers (%(n)s)", n=figures.top_n), top)
        others = figures.suppliers - figures.top_n
        chart.add(gettext(locale, "Other suppliers (%(n)s)", n=others), 100 - top)
    return _render(chart)


def outcomes(rows: list[MetricOutcome], locale: str) -> str:
    shown = [r for r in rows if r.median_improvement_pct is not None]
    labels = [label_of(vocab.KPI_METRICS, r.metric, locale) for r in reversed(shown)]
    chart = pygal.HorizontalBar(
        **_config(
            locale,
            gettext(locale, "Median improvement against each firm's baseline (%)"),
            width=760,
            height=120 + 44 * max(len(shown), 1),
        ),
        show_legend=False,
        margin_left=_left_margin(labels),
        value_formatter=lambda v: f"{v:+.1f}%",
    )
    chart.x_labels = labels
    chart.add("%", [r.median_improvement_pct for r in reversed(shown)])
    return _render(chart)


def _breakdowns(d: DashboardOut, locale: str) -> dict[str, str]:
    return {
        "sector": breakdown(d.by_sector, vocab.INDUSTRIES, gettext(locale, "By sector"), locale),
        "region": breakdown(d.by_region, vocab.REGIONS, gettext(locale, "By region"), locale),
        "sf_level": breakdown(
            d.by_sf_level, vocab.SF_LEVELS, gettext(locale, "By smart-factory level"), locale
        ),
    }


def _goals(progress: Progress, locale: str) -> dict[str, str]:
    return {
        "pool": gauge(
            progress.suppliers,
            progress.supplier_goal,
            gettext(locale, "Admitted AI suppliers"),
            locale,
        ),
        "adopting": gauge(
            progress.adopting_manufacturers,
            progress.manufacturer_goal,
            gettext(locale, "AI-adopting manufacturers"),
            locale,
        ),
    }


# Drawn charts by (page, the figures they show, locale): pygal re-reads its CSS files and
# re-lays out every chart on each render (62% of a dashboard request's samples), while the
# figures change only when the programme does.
_DRAWN: OrderedDict[tuple[str, str, str], dict[str, str]] = OrderedDict()
_DRAWN_LOCK = threading.Lock()
DRAWN_KEPT = 64


def _drawn(
    page: str, figures: BaseModel, locale: str, draw: Callable[[], dict[str, str]]
) -> dict[str, str]:
    key = (page, figures.model_dump_json(), locale)
    with _DRAWN_LOCK:
        if key in _DRAWN:
            _DRAWN.move_to_end(key)
            return dict(_DRAWN[key])
    charts = draw()
    with _DRAWN_LOCK:
        _DRAWN[key] = charts
        while len(_DRAWN) > DRAWN_KEPT:
            _DRAWN.popitem(last=False)
    return dict(charts)


def coordinator_charts(d: DashboardOut, locale: str) -> dict[str, str]:
    return _drawn("coordinator", d, locale, lambda: _coordinator_charts(d, locale))


def public_charts(d: PublicDashboardOut, locale: str) -> dict[str, str]:
    return _drawn("public", d, locale, lambda: _public_charts(d, locale))


def sponsor_charts(d: SponsorDashboardOut, locale: str) -> dict[str, str]:
    return _drawn("sponsor", d, locale, lambda: _sponsor_charts(d, locale))


def _coordinator_charts(d: DashboardOut, locale: str) -> dict[str, str]:
    return {
        "funnel": funnel(d.funnel, locale),
        "stages": stage_times(d.stage_times, locale),
        "concentration": concentration(d.concentration, locale),
        "outcomes": outcomes(d.outcomes_by_metric, locale),
        **_breakdowns(d, locale),
        **_goals(d.progress, locale),
    }


def _public_charts(d: PublicDashboardOut, locale: str) -> dict[str, str]:
    return {
        "funnel": funnel(d.funnel, locale),
        "outcomes": outcomes(d.outcomes_by_metric, locale),
        **_goals(d.progress, locale),
    }


def _sponsor_charts(d: SponsorDashboardOut, locale: str) -> dict[str, str]:
    return {
        "funnel": funnel(d.funnel, locale),
        "stages": stage_times(d.stage_times, locale),
        "outcomes": outcomes(d.outcomes_by_metric, locale),
    }
