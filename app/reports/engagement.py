"""성과보고서: one engagement's report as a PDF in the reader's language: who and what, the
stages with their dates, the milestones, the KPI table with verified results and a chart of
the improvement per KPI. Only those who may open the engagement get it (its parties and
staff: `load_detail`), and it shows only what the page shows them.

The sections are listed in `SECTIONS`, in order."""

from collections.abc import Callable

from sqlalchemy.orm import Session, object_session

from app import formats, vocab
from app.agreements.service import payments_of
from app.config import Settings
from app.engagements.detail import Detail, load_detail
from app.engagements.stages import STAGE_NAMES
from app.i18n import gettext
from app.models import EngagementKpi, KpiResult, User
from app.money import won
from app.reports.pdf import Report, number

Section = Callable[[Report, Detail, str], None]


def latest_verified(kpi: EngagementKpi) -> KpiResult | None:
    verified = [r for r in kpi.results if r.verified_at is not None]
    return max(verified, key=lambda r: (r.verified_at, r.id)) if verified else None


def improvement(kpi: EngagementKpi, value: float) -> float | None:
    """Percent change against the baseline, positive when it went the better way (the
    dashboard's rule: app/dashboard/figures.improvement_pct)."""
    if not kpi.baseline:
        return None
    change = (value - kpi.baseline) / abs(kpi.baseline) * 100
    return -change if vocab.lower_is_better(kpi.metric, kpi.baseline, kpi.target) else change


def _metric(code: str, locale: str) -> str:
    term = vocab.KPI_METRICS.get(code)
    return term.label(locale) if term else code


def summary(report: Report, d: Detail, locale: str) -> None:
    e = d.engagement
    report.facts(
        [
            (gettext(locale, "Need"), e.need.title),
            (gettext(locale, "Manufacturer"), e.manufacturer.name),
            (gettext(locale, "Supplier"), e.supplier.name),
            (gettext(locale, "Stage"), STAGE_NAMES[e.stage].label(locale)),
            (gettext(locale, "Started on"), formats.day(e.created_at, locale)),
            (gettext(locale, "Closed on"), formats.day(e.closed_at, locale)),
        ]
    )


def stages(report: Report, d: Detail, locale: str) -> None:
    report.heading(gettext(locale, "Stages"))
    head = [
        gettext(locale, "Stage"),
        gettext(locale, "Planned start"),
        gettext(locale, "Planned end"),
        gettext(locale, "Started on"),
        gettext(locale, "Ended on"),
    ]
    rows = [
        [
            STAGE_NAMES[s.stage].label(locale),
            formats.day(s.planned_start, locale),
            formats.day(s.planned_end, locale),
        ]
        + [formats.day(s.actual_start, locale), formats.day(s.actual_end, locale)]
        for s in d.engagement.stages
    ]
    report.table(head, rows)


def milestones(report: Report, d: Detail, locale: str) -> None:
    report.heading(gettext(locale, "Milestones"))
    head = [
        gettext(locale, "Milestone"),
        gettext(locale, "Stage"),
        gettext(locale, "Due"),
        gettext(locale, "Delivered on"),
        gettext(locale, "Accepted on"),
    ]
    rows = [
        [m.title, STAGE_NAMES[m.stage].label(locale), formats.day(m.due_date, locale)]
        + [
            formats.day(m.delivered_at, locale),
            formats.day(m.accepted_at, locale),
        ]
        for m in d.engagement.milestones
    ]
    report.table(head, rows, widths=(3, 2, 2, 2, 2))


def kpis(report: Report, d: Detail, locale: str) -> None:
    report.heading(gettext(locale, "Goal KPIs and results"))
    head = [
        gettext(locale, "KPI"),
        gettext(locale, "Unit"),
        gettext(locale, "Baseline"),
        gettext(locale, "Target"),
        gettext(locale, "Verified result"),
    ]
    head.append(gettext(locale, "Improvement (%)"))
    rows = []
    for kpi in d.engagement.kpis:
        result = latest_verified(kpi)
        gain = improvement(kpi, result.value) if result else None
        rows.append(
            [_metric(kpi.metric, locale), formats.unit(kpi.unit, locale)]
            + [number(kpi.baseline, 2), number(kpi.target, 2)]
            + [number(result.value, 2) if result else "—", number(gain)]
        )
    report.table(head, rows, widths=(3, 1, 2, 2, 2, 2))


def chart(report: Report, d: Detail, locale: str) -> None:
    report.heading(gettext(locale, "Improvement against the baseline (%)"))
    items = []
    for kpi in d.engagement.kpis:
        result = latest_verified(kpi)
        gain = improvement(kpi, result.value) if result else None
        if gain is not None:
            items.append((_metric(kpi.metric, locale), gain))
    if not items:
        report.line(gettext(locale, "No verified results yet."), muted=True)
        return
    report.bars(items, "%")


def payments(report: Report, d: Detail, locale: str) -> None:
    """The agreement's split, what is paid of it, and each tranche (whole won)."""
    report.heading(gettext(locale, "Agreement and payments"))
    agreement, paid = d.engagement.agreement(), d.paid
    if agreement is None or paid is None:
        report.line(gettext(locale, "The engagement has no agreement yet."), muted=True)
        return
    head = [gettext(locale, k) for k in ("Funding", "Agreed", "Paid", "Remaining")]
    rows = [
        [gettext(locale, "Government subsidy"), won(paid.subsidy_agreed, locale)]
        + [won(paid.subsidy_disbursed, locale), won(paid.subsidy_remaining, locale)],
        [gettext(locale, "Manufacturer co-payment"), won(paid.copay_agreed, locale)]
        + [won(paid.copay_received, locale), won(paid.copay_remaining, locale)],
    ]
    report.table(head, rows, widths=(3, 2, 2, 2))
    session = object_session(d.engagement)
    tranches = payments_of(session, d.engagement) if session is not None else []
    if not tranches:
        report.line(gettext(locale, "No payments recorded yet."), muted=True)
        return
    kinds = {"subsidy": "Subsidy disbursed", "copay": "Co-payment received"}
    head = [gettext(locale, k) for k in ("Date", "Payments", "Milestone", "Amount", "Reference")]
    rows = [
        [formats.day(p.paid_on, locale), gettext(locale, kinds[p.kind.value]), p.milestone.title]
        + [won(p.amount, locale), p.reference]
        for p in tranches
    ]
    report.table(head, rows, widths=(2, 2, 3, 2, 2))


SECTIONS: tuple[Section, ...] = (summary, stages, milestones, kpis, chart, payments)


def engagement_report(
    session: Session, settings: Settings, user: User, engagement_id: int, locale: str
) -> bytes:
    detail = load_detail(session, user, engagement_id)
    title = gettext(locale, "Engagement report")
    report = Report(settings.report_font, settings.report_font_index, title)
    for section in SECTIONS:
        section(report, detail, locale)
    return report.output()
