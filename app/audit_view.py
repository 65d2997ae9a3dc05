"""Audit entries in words: the one renderer behind the audit log page and its CSV, an
organisation's trail, each engagement's history and the audit API (`summary`, `changes`).

It takes entries already read through `app.audit.readable` (sealed content stays sealed) and
gives `Line`s: the action's label, who, what it is about, and every change as before → after
in words; ids become names with links, codes their vocabulary labels (`app.audit_labels`
names every action and field; `app.vocab` the coded values).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit_labels as labels
from app import formats, vocab
from app.audit import Entry
from app.i18n import gettext, normalize_locale
from app.models import (
    Award,
    Bid,
    BidInvitation,
    CaseStudy,
    Clarification,
    Cohort,
    Engagement,
    MatchProposal,
    Need,
    Organization,
    Role,
    Round,
    User,
)
from app.profiles.readiness import BUDGET, DATA, STAFF
from app.schemas import ChangeOut
from app.web import env

VOCABULARIES: dict[str, dict[str, vocab.Term]] = {
    "industry": vocab.INDUSTRIES,
    "industries": vocab.INDUSTRIES,
    "region": vocab.REGIONS,
    "specialties": vocab.SPECIALTIES,
    "ai_techniques": vocab.AI_TECHNIQUES,
    "process": vocab.PROCESSES,
    "processes": vocab.PROCESSES,
    "sf_level": vocab.SF_LEVELS,
    "min_sf_level": vocab.SF_LEVELS,
    "systems": vocab.SYSTEMS,
    "metric": vocab.KPI_METRICS,
    "unit": vocab.KPI_UNITS,
    "revenue_band": vocab.REVENUE_BANDS,
    "readiness_data": DATA,
    "readiness_staff": STAFF,
    "readiness_budget": BUDGET,
}
DATES = frozenset({"deadline_at", "review_at", "planned_start", "planned_end"})
DATES |= {"starts_on", "ends_on", "paid_on"}
DATES |= {"posted_from", "posted_to"}
MONEY = frozenset({"price_total", "price_subsidy", "price_copay", "price_min", "price_max"})
MONEY |= {"budget_min", "budget_max"}
# Fields holding ids, by what they point at; `added`/`removed` are organisations on a cohort
# (on a round they are counts).
REFERENCES = {
    "supplier_org_id": "org",
    "manufacturer_org_id": "org",
    "subject_org_id": "org",
    "need_id": "need",
    "case_study_ids": "case_study",
    "cohort_id": "cohort",
}
COHORT_REFERENCES = {"added": "org", "removed": "org"}
# What a bid, a selection, a proposal, an invitation or a question is about: its need.
ON_A_NEED = {
    "bids": Bid,
    "awards": Award,
    "match_proposals": MatchProposal,
    "bid_invitations": BidInvitation,
    "clarifications": Clarification,
}
STAFF_ROLES = (Role.coordinator, Role.admin)


@dataclass(frozen=True)
class Shown:
    """A value in words, linked when it names a record the viewer can open."""

    text: str
    href: str | None = None


Words = tuple[Shown, ...]


def plain(words: Words | None) -> str:
    return ", ".join(w.text for w in words) if words else "—"


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    before: Words | None  # None: the field was not there before (created) or is unknown
    after: Words | None  # None: the field is gone (deleted)

    def text(self) -> str:
        if self.before is None:
            return f"{self.label}: {plain(self.after)}"
        return f"{self.label}: {plain(self.before)} → {plain(self.after)}"


@dataclass(frozen=True)
class Line:
    entry: Entry
    action: str
    actor: str
    kind: str  # what the entry is about: "Need", "Bid", ...
    subject: Shown | None
    organization: Shown | None
    changes: list[Change]

    @property
    def summary(self) -> str:
        about = f" · {self.subject.text}" if self.subject else ""
        return f"{self.action} · {self.kind}{about}"


def action_label(action: str, locale: str) -> str:
    msgid = labels.ACTIONS.get(action)
    return msgid.label(locale) if msgid else action


def field_label(key: str, locale: str, entity_type: str = "") -> str:
    msgid = labels.FIELDS_BY_ENTITY.get((entity_type, key)) or labels.FIELDS.get(key)
    return msgid.label(locale) if msgid else key


def action_choices(locale: str) -> list[tuple[str, str]]:
    """(code, label) of every action, sorted by label: the audit filter's options."""
    return sorted(((c, m.label(locale)) for c, m in labels.ACTIONS.items()), key=lambda c: c[1])


@dataclass
class Names:
    """What the ids in a batch of entries are called, fetched in one query per kind."""

    locale: str
    staff: bool
    orgs: dict[int, tuple[str, str]]  # id -> (name, kind)
    needs: dict[int, str]
    case_studies: dict[int, str]
    cohorts: dict[int, str]
    rounds: dict[int, str]
    users: dict[int, str]
    engagement_needs: dict[int, int]  # engagement id -> need id
    parent_needs: dict[tuple[str, int], int]  # (entity type, id) -> need id

    def org(self, org_id: int) -> Shown:
        name, kind = self.orgs.get(org_id, (gettext(self.locale, "Removed organisation"), ""))
        if self.staff:
            return Shown(name, f"/coordinator/organizations/{org_id}")
        pages = {"supplier": "/suppliers", "manufacturer": "/manufacturers"}
        return Shown(name, f"{pages[kind]}/{org_id}" if kind in pages else None)

    def need(self, need_id: int) -> Shown:
        if need_id not in self.needs:
            return Shown(gettext(self.locale, "Removed need"))
        return Shown(self.needs[need_id], f"/needs/{need_id}")

    def reference(self, kind: str, ref: int) -> Shown:
        if kind == "org":
            return self.org(ref)
        if kind == "need":
            return self.need(ref)
        if kind == "case_study":
            return Shown(self.case_studies.get(ref, gettext(self.locale, "Removed case study")))
        href = f"/coordinator/cohorts/{ref}" if self.staff else None
        return Shown(self.cohorts.get(ref, gettext(self.locale, "Removed cohort")), href)


def describe(
    session: Session, viewer: User, entries: Sequence[Entry], locale: str | None = None
) -> list[Line]:
    """The entries in `locale` (else the viewer's language), with links the viewer may
    follow."""
    names = load_names(session, viewer, entries)
    names.locale = normalize_locale(locale or viewer.locale)
    return [line_of(entry, names) for entry in entries]


def line_of(entry: Entry, names: Names) -> Line:
    locale = names.locale
    actor = entry.actor.name if entry.actor is not None else gettext(locale, "System")
    if entry.actor is None and entry.sealed:
        actor = gettext(locale, "sealed")
    kind = labels.ENTITIES.get(entry.entity_type)
    return Line(
        entry=entry,
        action=action_label(entry.action, locale),
        actor=actor,
        kind=kind.label(locale) if kind else entry.entity_type,
        subject=subject_of(entry, names),
        organization=names.org(entry.organization_id) if entry.organization_id else None,
        changes=changes_of(entry, names),
    )


def changes_of(entry: Entry, names: Names) -> list[Change]:
    before, after = entry.before or {}, entry.after or {}
    keys = [*after, *(k for k in before if k not in after)]
    shown = []
    for key in keys:
        if key in labels.HIDDEN:
            continue
        old = words(entry.entity_type, key, before[key], names) if key in before else None
        new = words(entry.entity_type, key, after.get(key), names)
        if key in before and key not in after and entry.after is not None:
            new = None
        shown.append(Change(key, field_label(key, names.locale, entry.entity_type), old, new))
    return shown


def subject_of(entry: Entry, names: Names) -> Shown | None:
    """The record the entry is about, by name; None when the name is in the changes."""
    kind, ref, data = (
        entry.entity_type,
        entry.entity_id,
        {**(entry.before or {}), **(entry.after or {})},
    )
    if kind == "needs":
        return names.need(ref)
    if kind == "engagements":
        need = names.engagement_needs.get(ref)
        return Shown(names.needs.get(need, "—") if need else "—", f"/engagements/{ref}")
    if (kind, ref) in names.parent_needs:
        return names.need(names.parent_needs[(kind, ref)])
    if kind in ("organizations", "supplier_profiles", "manufacturer_profiles"):
        return names.org(entry.organization_id) if entry.organization_id else None
    if kind == "cohorts":
        href = f"/coordinator/cohorts/{ref}" if ref in names.cohorts and names.staff else None
        return Shown(names.cohorts.get(ref, str(data.get("name", "—"))), href)
    if kind == "rounds":
        href = f"/coordinator/rounds/{ref}" if names.staff else None
        return Shown(names.rounds.get(ref, "—"), href)
    if kind == "users":
        return Shown(names.users.get(ref, "—"))
    if kind == "case_studies":
        return Shown(names.case_studies.get(ref, str(data.get("title", "—"))))
    return None


def words(entity_type: str, key: str, value: Any, names: Names) -> Words:
    """One field's value in words; lists give one `Shown` per item."""
    if value is None or value == "" or value == []:
        return (Shown("—"),)
    ref = _reference_kind(entity_type, key)
    if ref is not None and isinstance(value, (int, list)):
        ids = value if isinstance(value, list) else [value]
        return tuple(names.reference(ref, i) for i in ids if isinstance(i, int))
    items = value if isinstance(value, list) else [value]
    return tuple(Shown(_text(entity_type, key, item, names.locale)) for item in items)


def _reference_kind(entity_type: str, key: str) -> str | None:
    if entity_type == "cohorts" and key in COHORT_REFERENCES:
        return COHORT_REFERENCES[key]
    return REFERENCES.get(key)


def word(entity_type: str, key: str, value: Any, locale: str) -> str:
    """One coded value in the reader's words, as the log shows it (exports' CSV use it)."""
    return _text(entity_type, key, value, locale)


def _text(entity_type: str, key: str, value: Any, locale: str) -> str:
    codes = labels.BY_ENTITY.get((entity_type, key)) or labels.CODES.get(key)
    if isinstance(value, bool):
        return gettext(locale, "yes") if value else gettext(locale, "no")
    if codes is not None and isinstance(value, str):
        return codes[value].label(locale) if value in codes else value
    if key in VOCABULARIES and isinstance(value, str):
        terms = VOCABULARIES[key]
        return terms[value].label(locale) if value in terms else value
    if entity_type == "engagements" and (key in MONEY or key == "amount"):
        return _won(value, locale)  # agreements and payments keep whole won, bids 만원
    special = _SPECIAL.get(key)
    return special(value, locale) if special else _scalar(value, locale)


def _scalar(value: Any, locale: str) -> str:
    if isinstance(value, float):
        return formats.number(value, locale, 2)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _when(value: Any, locale: str) -> str:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if len(str(value)) <= 10:  # a date, not a moment
        return formats.day(parsed.date(), locale)
    return formats.when(parsed, locale)


def _money(value: Any, locale: str) -> str:
    """The pages' own money format (the `money` filter), whatever it becomes."""
    return str(env.filters["money"](value, locale)) if isinstance(value, int) else str(value)


def _won(value: Any, locale: str) -> str:
    return str(env.filters["won"](value, locale)) if isinstance(value, int) else str(value)


def _kpi(value: Any, locale: str) -> str:
    if not isinstance(value, dict):
        return str(value)
    metric = _text("", "metric", value.get("metric"), locale)
    unit, baseline = value.get("unit") or "", value.get("baseline")
    start = f"{formats.measure(baseline, unit, locale)} → " if baseline is not None else ""
    return f"{metric} {start}{formats.measure(value.get('target'), unit, locale)}"


def _week(value: Any, locale: str) -> str:
    if not isinstance(value, dict):
        return str(value)
    stage = _text("", "stage", value.get("stage"), locale)
    return f"{stage} {gettext(locale, '%(n)s weeks', n=value.get('weeks'))}"


def _size(value: Any, locale: str) -> str:
    return f"{value / 1024:,.0f} KB" if isinstance(value, int) and value >= 1024 else f"{value} B"


_SPECIAL = {
    **dict.fromkeys(DATES, _when),
    **dict.fromkeys(MONEY, _money),
    "kpis": _kpi,
    "timeline": _week,
    "fields": lambda value, locale: field_label(str(value), locale),
    "shortfalls": lambda value, locale: gettext(locale, str(value)),
    "size": _size,
    "sha256": lambda value, locale: str(value)[:12],
    "rating": lambda value, locale: f"{value}/5",
    "quality_lost_share": lambda value, locale: (
        f"{value * 100:.1f}%" if isinstance(value, (int, float)) else str(value)
    ),
}


def load_names(session: Session, viewer: User, entries: Sequence[Entry]) -> Names:
    wanted: dict[str, set[int]] = {k: set() for k in ("org", "need", "case_study", "cohort")}
    for entry in entries:
        for key, value in [*(entry.before or {}).items(), *(entry.after or {}).items()]:
            ref = _reference_kind(entry.entity_type, key)
            if ref is not None:
                wanted[ref] |= {i for i in (value if isinstance(value, list) else [value])
                                if isinstance(i, int)}  # fmt: skip
        if entry.organization_id:
            wanted["org"].add(entry.organization_id)
    of = _ids_of(entries)
    engagement_needs = _pairs(session, Engagement.id, Engagement.need_id, of("engagements"))
    parents = _parent_needs(session, entries)
    wanted["need"] |= of("needs") | set(engagement_needs.values()) | set(parents.values())
    wanted["case_study"] |= of("case_studies")
    wanted["cohort"] |= of("cohorts")
    orgs = select(Organization.id, Organization.name, Organization.kind)
    orgs = orgs.where(Organization.id.in_(wanted["org"]))
    return Names(
        locale=normalize_locale(viewer.locale),
        staff=viewer.role in STAFF_ROLES,
        orgs={i: (name, kind.value) for i, name, kind in session.execute(orgs)},
        needs=_pairs(session, Need.id, Need.title, wanted["need"]),
        case_studies=_pairs(session, CaseStudy.id, CaseStudy.title, wanted["case_study"]),
        cohorts=_pairs(session, Cohort.id, Cohort.name, wanted["cohort"]),
        rounds=_pairs(session, Round.id, Round.name, of("rounds")),
        users=_pairs(session, User.id, User.name, of("users")),
        engagement_needs=engagement_needs,
        parent_needs=parents,
    )


def _ids_of(entries: Sequence[Entry]):  # type: ignore[no-untyped-def]
    def of(entity_type: str) -> set[int]:
        return {e.entity_id for e in entries if e.entity_type == entity_type}

    return of


def _pairs(session: Session, key: Any, value: Any, ids: set[int]) -> dict[Any, Any]:
    if not ids:
        return {}
    return {k: v for k, v in session.execute(select(key, value).where(key.in_(ids)))}


def _parent_needs(session: Session, entries: Sequence[Entry]) -> dict[tuple[str, int], int]:
    found: dict[tuple[str, int], int] = {}
    for entity_type, model in ON_A_NEED.items():
        ids = {e.entity_id for e in entries if e.entity_type == entity_type}
        found |= {
            (entity_type, i): n for i, n in _pairs(session, model.id, model.need_id, ids).items()
        }
    return found


def changes_out(line: Line) -> list[ChangeOut]:
    """The changes as the APIs return them (plain text in the caller's language)."""
    return [
        ChangeOut(
            key=c.key,
            label=c.label,
            before=plain(c.before) if c.before is not None else None,
            after=plain(c.after) if c.after is not None else None,
            text=c.text(),
        )
        for c in line.changes
    ]
