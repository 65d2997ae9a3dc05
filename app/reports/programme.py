"""The programme report: the coordinators' dashboard (same filters, same figures) as a PDF:
the headline figures, the funnel as a table and as bars, time per stage, KPI outcomes with a
chart of the mean improvement, and how concentrated engagements are across suppliers. The
tables are the dashboard's CSV tables (app/dashboard/exports), so the three never disagree."""

from sqlalchemy.orm import Session

from app import vocab
from app.config import Settings
from app.dashboard import exports as tables
from app.dashboard.report import coordinator_dashboard
from app.dashboard.schemas import DashboardOut, Filters
from app.i18n import gettext
from app.reports.pdf import Report


def _scope(d: DashboardOut, locale: str) -> str:
    if not d.filters:
        return gettext(locale, "All needs")
    return ", ".join(f"{k}={v}" for k, v in d.filters.items())


def _charted(report: Report, d: DashboardOut, locale: str) -> None:
    head, rows = tables.funnel(d.funnel, locale)
    report.heading(gettext(locale, "Funnel"))
    report.table(head, rows)
    report.bars([(row[0], float(row[1])) for row in rows])


def _outcomes(report: Report, d: DashboardOut, locale: str) -> None:
    report.heading(gettext(locale, "Outcomes"))
    report.table(*tables.outcomes(d.outcomes, locale))
    items = [
        (vocab.KPI_METRICS[m.metric].label(locale) if m.metric in vocab.KPI_METRICS else m.metric,
         m.median_improvement_pct)
        for m in d.outcomes_by_metric
        if m.median_improvement_pct is not None
    ]  # fmt: skip
    report.line(gettext(locale, "Median improvement (%)"), muted=True)
    report.bars([(label, float(value)) for label, value in items], "%")


def programme_report(session: Session, settings: Settings, filters: Filters, locale: str) -> bytes:
    d = coordinator_dashboard(session, settings, filters)
    report = Report(
        settings.report_font, settings.report_font_index, gettext(locale, "Programme report")
    )
    report.line(_scope(d, locale), muted=True)
    report.heading(gettext(locale, "Summary"))
    report.table(*tables.summary(d, locale), widths=(4, 1))
    _charted(report, d, locale)
    report.heading(gettext(locale, "Time per stage"))
    report.table(*tables.stages(d.stage_times, locale))
    _outcomes(report, d, locale)
    report.heading(gettext(locale, "Concentration of engagements"))
    report.table(*tables.concentration(d.concentration, locale), widths=(3, 2, 2, 2, 2, 2, 2, 2))
    report.table(*tables.suppliers(d.concentration.by_supplier[:15], locale), widths=(1, 4, 2, 2))
    return report.output()
