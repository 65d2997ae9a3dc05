"""The exportable kinds: one registry, so a new kind is one more entry in `KINDS`; routes,
access checks, CSV and JSON Lines all follow from it.

A kind names who may export it (roles; ownership is inside its query, the list page's own
query), the filters of its list page, the columns, and an optional `prepare` that turns one
batch of rows into what this viewer may read (the audit log's sealing)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Select
from sqlalchemy.orm import Session

from app import audit, audit_view
from app.agreements.payments import payments_query
from app.bids.service import exportable_bids
from app.coordinator.schemas import AuditFilters
from app.coordinator.service import audit_query
from app.engagements.schemas import ListFilters
from app.engagements.service import engagements_query, is_overdue, results_query
from app.i18n import Msgid
from app.models import AuditEntry, Engagement, Role, Stage, User
from app.needs.schemas import NeedFilters
from app.needs.service import needs_query
from app.profiles.directory import suppliers_query
from app.profiles.schemas import SupplierQuery
from app.schemas import MAX_ID

STAFF = (Role.coordinator, Role.admin)
PARTIES = (Role.manufacturer, Role.supplier, *STAFF)
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _(message: str) -> Msgid:
    return Msgid(message)


@dataclass(frozen=True)
class Column:
    key: str  # the JSON Lines field name (stable, English)
    header: Msgid  # the CSV header, in the reader's language
    value: Callable[[Any], Any]
    # a coded value (a vocabulary code, a status): the CSV has it in words as the audit log
    # words that (entity type, field), the JSON Lines keep the code
    coded: tuple[str, str] | None = None


@dataclass(frozen=True)
class ExportKind:
    name: str
    title: Msgid
    roles: tuple[Role, ...]
    filters: type[BaseModel]
    query: Callable[[User, Any], Select[Any]]
    columns: Sequence[Column]
    prepare: Callable[[Session, User, list[Any], str], list[Any]] = field(
        default=lambda session, viewer, rows, locale: rows
    )
    # JSON Lines fields when they differ from the CSV's columns (the audit log: words for
    # people in the CSV, codes and raw values beside the words for machines)
    jsonl_columns: Sequence[Column] | None = None

    def fields(self, fmt: str) -> Sequence[Column]:
        return self.jsonl_columns if fmt == "jsonl" and self.jsonl_columns else self.columns


class BidFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    need_id: Id | None = None


class ResultFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    engagement_id: Id | None = None


def _codes(values: list[str] | None) -> list[str]:
    return list(values or [])


NEED_COLUMNS = (
    Column("id", _("Need"), lambda n: n.id),
    Column("title", _("Title"), lambda n: n.title),
    Column("organization", _("Manufacturer"), lambda n: n.organization.name),
    Column("status", _("Status"), lambda n: n.phase(), ("needs", "status")),
    Column("industry", _("Sector"), lambda n: n.industry, ("needs", "industry")),
    Column("process", _("Process"), lambda n: n.process, ("needs", "process")),
    Column(
        "ai_techniques",
        _("AI techniques"),
        lambda n: _codes(n.ai_techniques),
        ("needs", "ai_techniques"),
    ),
    Column("region", _("Region"), lambda n: n.region, ("needs", "region")),
    Column("budget_min", _("Budget from (10,000 won)"), lambda n: n.budget_min),
    Column("budget_max", _("Budget to (10,000 won)"), lambda n: n.budget_max),
    Column("deadline_at", _("Bidding deadline"), lambda n: n.deadline_at),
    Column("published_at", _("Published"), lambda n: n.published_at),
    Column("kpis", _("Goal KPIs"), lambda n: [k.metric for k in n.kpis], ("needs", "metric")),
)
SUPPLIER_COLUMNS = (
    Column("organization_id", _("Organisation"), lambda s: s.organization_id),
    Column("name", _("Supplier"), lambda s: s.organization.name),
    Column(
        "membership", _("Membership"), lambda s: s.membership.value, ("organizations", "membership")
    ),
    Column("region", _("Region"), lambda s: s.region, ("organizations", "region")),
    Column(
        "specialties",
        _("Specialty fields"),
        lambda s: _codes(s.specialties),
        ("organizations", "specialties"),
    ),
    Column(
        "ai_techniques",
        _("AI techniques"),
        lambda s: _codes(s.ai_techniques),
        ("organizations", "ai_techniques"),
    ),
    Column(
        "industries",
        _("Industries"),
        lambda s: _codes(s.industries),
        ("organizations", "industries"),
    ),
    Column("capacity", _("Capacity"), lambda s: s.capacity),
    Column("updated_at", _("Updated on"), lambda s: s.updated_at),
)
BID_COLUMNS = (
    Column("id", _("Bid"), lambda b: b.id),
    Column("need_id", _("Need"), lambda b: b.need_id),
    Column("need_title", _("Need title"), lambda b: b.need.title),
    Column("supplier", _("Supplier"), lambda b: b.supplier.name),
    Column("status", _("Status"), lambda b: b.status.value, ("bids", "status")),
    Column("price_total", _("Price (10,000 won)"), lambda b: b.price_total),
    Column("price_subsidy", _("Subsidy (10,000 won)"), lambda b: b.price_subsidy),
    Column("price_copay", _("Co-payment (10,000 won)"), lambda b: b.price_copay),
    Column("approach", _("Approach"), lambda b: b.approach),
    Column("submitted_at", _("Submitted on"), lambda b: b.submitted_at),
)
ENGAGEMENT_COLUMNS = (
    Column("id", _("Engagement"), lambda e: e.id),
    Column("need_id", _("Need"), lambda e: e.need_id),
    Column("need_title", _("Need title"), lambda e: e.need.title),
    Column("manufacturer", _("Manufacturer"), lambda e: e.manufacturer.name),
    Column("supplier", _("Supplier"), lambda e: e.supplier.name),
    Column("stage", _("Stage"), lambda e: e.stage.value, ("engagements", "stage")),
    Column("overdue", _("Overdue"), lambda e: is_overdue(e)),
    Column("created_at", _("Started on"), lambda e: e.created_at),
    Column("updated_at", _("Updated on"), lambda e: e.updated_at),
    Column("closed_at", _("Closed on"), lambda e: e.closed_at),
)
RESULT_COLUMNS = (
    Column("id", _("Result"), lambda r: r.id),
    Column("engagement_id", _("Engagement"), lambda r: r.kpi.engagement_id),
    Column("metric", _("KPI"), lambda r: r.kpi.metric, ("engagements", "metric")),
    Column("unit", _("Unit"), lambda r: r.kpi.unit, ("engagements", "unit")),
    Column("baseline", _("Baseline"), lambda r: r.kpi.baseline),
    Column("target", _("Target"), lambda r: r.kpi.target),
    Column("phase", _("Phase"), lambda r: r.phase.value, ("engagements", "phase")),
    Column("value", _("Result"), lambda r: r.value),
    Column("verified_at", _("Verified on"), lambda r: r.verified_at),
    Column("rejected_reason", _("Rejected because"), lambda r: r.rejected_reason),
    Column("recorded_at", _("Recorded on"), lambda r: r.recorded_at),
)
PAYMENT_COLUMNS = (
    Column("id", _("Payment"), lambda p: p.id),
    Column("engagement_id", _("Engagement"), lambda p: p.engagement_id),
    Column("milestone", _("Milestone"), lambda p: p.milestone.title),
    Column("kind", _("Kind"), lambda p: p.kind.value, ("engagements", "kind")),
    Column("amount", _("Amount (won)"), lambda p: p.amount),
    Column("paid_on", _("Paid on"), lambda p: p.paid_on),
    Column("reference", _("Voucher / programme reference"), lambda p: p.reference),
    Column("note", _("Note"), lambda p: p.note),
    Column("created_at", _("Recorded on"), lambda p: p.created_at),
)


def _changes(line: audit_view.Line) -> str:
    return "; ".join(c.text() for c in line.changes)


def _text(shown: audit_view.Shown | None) -> str | None:
    return shown.text if shown else None


# The audit log as the page reads it (app.audit_view): one renderer for the page, the
# engagement history, the API and both downloads
AUDIT_COLUMNS = (
    Column("created_at", _("When"), lambda line: line.entry.created_at),
    Column("action", _("Action"), lambda line: line.action),
    Column("kind", _("Kind"), lambda line: line.kind),
    Column("record", _("Record"), lambda line: _text(line.subject)),
    Column("organization", _("Organisation"), lambda line: _text(line.organization)),
    Column("actor", _("By"), lambda line: line.actor),
    Column("changes", _("Change"), _changes),
    Column("reason", _("Reason"), lambda line: line.entry.reason),
)
AUDIT_FIELDS = (
    Column("id", _("Entry"), lambda line: line.entry.id),
    Column("created_at", _("When"), lambda line: line.entry.created_at),
    Column("action_code", _("Action"), lambda line: line.entry.action),
    Column("action", _("Action"), lambda line: line.action),
    Column("entity_type", _("Kind"), lambda line: line.entry.entity_type),
    Column("entity_id", _("Record"), lambda line: line.entry.entity_id),
    Column("kind", _("Kind"), lambda line: line.kind),
    Column("record", _("Record"), lambda line: _text(line.subject)),
    Column("organization_id", _("Organisation"), lambda line: line.entry.organization_id),
    Column("organization", _("Organisation"), lambda line: _text(line.organization)),
    Column("actor", _("By"), lambda line: line.actor),
    Column("sealed", _("Sealed"), lambda line: line.entry.sealed),
    Column("before", _("Before the change"), lambda line: line.entry.before),
    Column("after", _("After the change"), lambda line: line.entry.after),
    Column("changes", _("Change"), _changes),
    Column("reason", _("Reason"), lambda line: line.entry.reason),
)


def _engagements(viewer: User, f: ListFilters) -> Select[tuple[Engagement]]:
    return engagements_query(viewer, Stage(f.stage) if f.stage else None)


def _audit(
    session: Session, viewer: User, rows: list[AuditEntry], locale: str
) -> list[audit_view.Line]:
    """Sealed content stays sealed (`audit.readable`), then the entries in words."""
    return audit_view.describe(session, viewer, audit.readable(session, viewer, rows), locale)


KIND_LIST: tuple[ExportKind, ...] = (
    ExportKind(
        "needs", _("Needs"), (Role.manufacturer, *STAFF), NeedFilters, needs_query, NEED_COLUMNS
    ),
    ExportKind(
        "suppliers", _("Suppliers"), STAFF, SupplierQuery, suppliers_query, SUPPLIER_COLUMNS
    ),
    ExportKind(
        "bids",
        _("Bids"),
        PARTIES,
        BidFilters,
        lambda viewer, f: exportable_bids(viewer, f.need_id),
        BID_COLUMNS,
    ),
    ExportKind(
        "engagements", _("Engagements"), PARTIES, ListFilters, _engagements, ENGAGEMENT_COLUMNS
    ),
    ExportKind(
        "kpi_results",
        _("KPI results"),
        PARTIES,
        ResultFilters,
        lambda viewer, f: results_query(viewer, f.engagement_id),
        RESULT_COLUMNS,
    ),
    ExportKind(
        "audit",
        _("Audit log"),
        STAFF,
        AuditFilters,
        lambda viewer, f: audit_query(f),
        AUDIT_COLUMNS,
        _audit,
        AUDIT_FIELDS,
    ),
    ExportKind(
        "payments",
        _("Payments"),
        PARTIES,
        ResultFilters,
        lambda viewer, f: payments_query(viewer, f.engagement_id),
        PAYMENT_COLUMNS,
    ),
)
KINDS = {kind.name: kind for kind in KIND_LIST}
