"""KPI units become codes: "만원/year" and "만원/년" are both `manwon_per_year`

need_kpis.unit and engagement_kpis.unit held free text; each spelling listed below becomes
its code (app/vocab.py KPI_UNITS), so the dashboard compares like with like. A spelling not
listed is kept as typed and reported in the migration log. Agreement versions keep the KPI
rows they were signed with (JSON), untouched. The downgrade writes each code's Korean label.

Revision ID: 2026_12_06_fmt_kpi_units
Revises: 2026_12_03_money_agreements
Create Date: 2026-12-06 21:00:00
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2026_12_06_fmt_kpi_units"
down_revision: str | None = "2026_12_03_money_agreements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("need_kpis", "engagement_kpis")
# A copy as of this revision (migrations are static): spelling, lower-cased -> code.
SPELLINGS = {
    "%": "percent",
    "ppm": "ppm",
    "건": "count",
    "회": "count",
    "개": "count",
    "건/월": "count_per_month",
    "회/월": "count_per_month",
    "개/월": "count_per_month",
    "near misses/month": "count_per_month",
    "건/년": "count_per_year",
    "로트/년": "count_per_year",
    "incidents/year": "count_per_year",
    "returns/year": "count_per_year",
    "명": "people",
    "분/건": "minutes_per_item",
    "분/매": "minutes_per_item",
    "분/패널": "minutes_per_item",
    "min/batch": "minutes_per_item",
    "시간": "hours",
    "h": "hours",
    "시간/일": "hours_per_day",
    "h/day": "hours_per_day",
    "시간/년": "hours_per_year",
    "h/year": "hours_per_year",
    "일": "days",
    "days": "days",
    "일/건": "days_per_item",
    "days/report": "days_per_item",
    "주": "weeks",
    "weeks": "weeks",
    "만원/년": "manwon_per_year",
    "만원/year": "manwon_per_year",
    "kwh/month": "kwh_per_month",
    "kwh/월": "kwh_per_month",
    "kw": "kw",
}
LABELS = {
    "percent": "%",
    "ppm": "ppm",
    "count": "건",
    "count_per_month": "건/월",
    "count_per_year": "건/년",
    "people": "명",
    "minutes_per_item": "분/건",
    "hours": "시간",
    "hours_per_day": "시간/일",
    "hours_per_year": "시간/년",
    "days": "일",
    "days_per_item": "일/건",
    "weeks": "주",
    "manwon_per_year": "만원/년",
    "kwh_per_month": "kWh/월",
    "kw": "kW",
}
log = logging.getLogger("alembic.runtime.migration")


def code_of(text: str) -> str | None:
    return SPELLINGS.get(" ".join(text.strip().lower().split()))


def _rewrite(table: str, mapping: dict[str, str]) -> None:
    conn = op.get_bind()
    for old, new in mapping.items():
        conn.execute(
            sa.text(f"UPDATE {table} SET unit = :new WHERE unit = :old"), {"new": new, "old": old}
        )


def upgrade() -> None:
    conn = op.get_bind()
    for table in TABLES:
        units = conn.execute(sa.text(f"SELECT DISTINCT unit FROM {table}")).scalars().all()
        known = {u: code for u in units if u and (code := code_of(u)) is not None}
        unknown = sorted(u for u in units if u and u not in known and u not in LABELS)
        _rewrite(table, known)
        if unknown:
            log.warning("%s: units kept as typed (no code): %s", table, ", ".join(unknown))


def downgrade() -> None:
    for table in TABLES:
        _rewrite(table, LABELS)
