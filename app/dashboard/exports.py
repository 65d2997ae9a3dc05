"""Every dashboard table as CSV: UTF-8 with a byte-order mark (so Excel reads Korean), headers
in the reader's language, the same figures as the page."""

from datetime import date

from fastapi.responses import Response

from app import formats, vocab, web
from app.dashboard.labels import _, label_of, step_label
from app.dashboard.schemas import (
    BreakdownRow,
    Concentration,
    ConcentrationOut,
    DashboardOut,
    FunnelStep,
    MetricOutcome,
    OutcomeRow,
    PublicDashboardOut,
    SponsorDashboardOut,
    StageTime,
    SupplierShare,
)
from app.i18n import gettext

Table = tuple[list[str], list[list[str]]]
BREAKDOWNS = {
    "sector": (_("Sector"), vocab.INDUSTRIES),
    "region": (_("Region"), vocab.REGIONS),
    "sf_level": (_("Smart-factory level"), vocab.SF_LEVELS),
}


def num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def pct(value: float | None) -> str:
    return num(value * 100 if value is not None else None)


def funnel(steps: list[FunnelStep], locale: str) -> Table:
    head = [
        _("Step"),
        _("Needs"),
        _("Conversion from the previous step (%)"),
        _("Share of needs posted (%)"),
    ]
    rows = [
        [step_label(s.step, locale), str(s.count), pct(s.conversion), pct(s.share_of_posted)]
        for s in steps
    ]
    return [gettext(locale, h) for h in head], rows


def breakdown(name: str, groups: list[BreakdownRow], locale: str) -> Table:
    title, terms = BREAKDOWNS[name]
    steps = list(groups[0].counts) if groups else []
    head = [gettext(locale, title)] + [step_label(s, locale) for s in steps]
    rows = [[label_of(terms, g.code, locale)] + [str(g.counts[s]) for s in steps] for g in groups]
    return head, rows


def stages(times: list[StageTime], locale: str) -> Table:
    head = [_("Stage"), _("Completed"), _("In progress"), _("Median days"), _("Mean days")]
    rows = [
        [step_label(t.stage, locale), str(t.completed), str(t.in_progress)]
        + [num(t.median_days), num(t.mean_days)]
        for t in times
    ]
    return [gettext(locale, h) for h in head], rows


def concentration(c: ConcentrationOut, locale: str) -> Table:
    head = [
        _("Engagements of"),
        _("Period start"),
        _("Period end"),
        _("Engagements"),
        _("Suppliers with engagements"),
        _("Top 15% of suppliers"),
        _("Their share of engagements (%)"),
        _("Herfindahl index"),
    ]
    t = c.trend
    windows: list[tuple[str, date | None, date | None, Concentration]] = [
        (gettext(locale, "The selected needs"), None, None, c),
        (gettext(locale, "Started in the current period"), t.current_from, t.current_to, t.current),
        (
            gettext(locale, "Started in the previous period"),
            t.previous_from,
            t.previous_to,
            t.previous,
        ),
    ]
    rows = [
        [name, start.isoformat() if start else "", end.isoformat() if end else ""]
        + [str(f.engagements), str(f.suppliers), str(f.top_n), pct(f.top_share), num(f.hhi, 0)]
        for name, start, end, f in windows
    ]
    return [gettext(locale, h) for h in head], rows


def suppliers(shares: list[SupplierShare], locale: str) -> Table:
    head = [_("Rank"), _("Supplier"), _("Engagements"), _("Share of engagements (%)")]
    rows = [
        [str(rank), s.name, str(s.engagements), pct(s.share)]
        for rank, s in enumerate(shares, start=1)
    ]
    return [gettext(locale, h) for h in head], rows


def outcomes(rows_in: list[OutcomeRow], locale: str) -> Table:
    head = [
        _("KPI"),
        _("Unit"),
        _("KPIs with a verified result"),
        _("With a baseline to compare"),
        _("Median baseline"),
        _("Median result"),
        _("Median improvement (%)"),
        _("Mean improvement (%)"),
    ]
    rows = [
        [label_of(vocab.KPI_METRICS, r.metric, locale), formats.unit(r.unit, locale)]
        + [str(r.kpis), str(r.comparable), num(r.median_baseline, 2), num(r.median_result, 2)]
        + [num(r.median_improvement_pct), num(r.mean_improvement_pct)]
        for r in rows_in
    ]
    return [gettext(locale, h) for h in head], rows


def metric_outcomes(rows_in: list[MetricOutcome], locale: str) -> Table:
    head = [
        _("KPI"),
        _("KPIs with a verified result"),
        _("With a baseline to compare"),
        _("Median improvement (%)"),
        _("Mean improvement (%)"),
    ]
    rows = [
        [label_of(vocab.KPI_METRICS, r.metric, locale), str(r.kpis), str(r.comparable)]
        + [num(r.median_improvement_pct), num(r.mean_improvement_pct)]
        for r in rows_in
    ]
    return [gettext(locale, h) for h in head], rows


def csv_response(table: Table, filename: str) -> Response:
    return web.csv_response(table[0], table[1], filename)


def summary(d: DashboardOut, locale: str) -> Table:
    """The headline figures, AI-adopting manufacturers and those approved below target apart."""
    s, p = d.summary, d.progress
    rows = [
        (_("Needs posted"), s.needs_posted),
        (_("Engagements"), s.engagements),
        (_("AI-adopting manufacturers (demonstration met its targets)"), s.adopting_manufacturers),
        (_("Approved below target (not counted as adopting)"), s.adopting_overridden),
        (_("Verified KPI results"), s.verified_results),
        (_("AI-adopting manufacturers, whole programme"), p.adopting_manufacturers),
        (_("Approved below target, whole programme"), p.adopting_overridden),
    ]
    head = [gettext(locale, _("Figure")), gettext(locale, _("Value"))]
    return head, [[gettext(locale, name), str(value)] for name, value in rows]


def coordinator_table(d: DashboardOut, name: str, locale: str) -> Table:
    if name in BREAKDOWNS:
        groups = {"sector": d.by_sector, "region": d.by_region, "sf_level": d.by_sf_level}
        return breakdown(name, groups[name], locale)
    tables = {
        "funnel": lambda: funnel(d.funnel, locale),
        "stages": lambda: stages(d.stage_times, locale),
        "concentration": lambda: concentration(d.concentration, locale),
        "suppliers": lambda: suppliers(d.concentration.by_supplier, locale),
        "outcomes": lambda: outcomes(d.outcomes, locale),
        "accidents": lambda: outcomes(d.accidents.rows, locale),
        "summary": lambda: summary(d, locale),
    }
    return tables[name]()


def public_table(d: PublicDashboardOut, name: str, locale: str) -> Table:
    if name == "outcomes":
        return metric_outcomes(d.outcomes_by_metric, locale)
    return funnel(d.funnel, locale)


def sponsor_table(d: SponsorDashboardOut, name: str, locale: str) -> Table:
    tables = {
        "funnel": lambda: funnel(d.funnel, locale),
        "stages": lambda: stages(d.stage_times, locale),
        "outcomes": lambda: metric_outcomes(d.outcomes_by_metric, locale),
    }
    return tables[name]()
