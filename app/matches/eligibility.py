"""Who may be matched with a need: one set of rules for every path (suggestions, search,
recommendations, saved-search alerts, rounds, invitations, proposals).

- **Not admitted** (applied or suspended): never matched. Not suggested, found, recommended
  or alerted, not on a round's shortlist; inviting or proposing one is 404, as for an
  unknown supplier.
- **At capacity** (open engagements >= capacity): cannot take on new work now. Nothing puts
  it forward by itself (rounds leave it out and a release skips it, saved-search alerts are
  not sent) and an invitation or a proposal is refused (409). Where people browse
  (suggestions, supplier search) it stays visible, marked "at capacity" and ranked below
  suppliers with room, and its own recommended needs are listed with the same mark.
- **Standing** (`require_admitted`): wherever a supplier's work is acted on (its selection
  approved, its engagement moved on, its own engagement work), a supplier that is not
  admitted (suspended, expired, ...) is refused with a 409 that says its state and what to
  do; its bids are flagged in the comparison (`standing`).
- **Must-have certifications** (a must-have line naming a certification some admitted
  supplier holds): a supplier without one is not suggested, recommended, alerted or
  shortlisted; suggestions list who was left out and why ("필수 인증 없음").
"""

from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

import matching
from app.engagements.service import active_engagements
from app.errors import Conflict, NotFound
from app.i18n import Msgid
from app.matches.store import load_suppliers, need_record, supplier_record
from app.models import ManufacturerProfile, Membership, Need, SupplierProfile

AVAILABLE, AT_CAPACITY, NOT_ADMITTED = "available", "at_capacity", "not_admitted"


MEMBERSHIP_NAMES = {
    Membership.applied: Msgid("applied, not yet admitted"),
    Membership.admitted: Msgid("admitted"),
    Membership.rejected: Msgid("rejected"),
    Membership.suspended: Msgid("suspended"),
    Membership.expired: Msgid("expired (not re-checked in time)"),
}


def _rows(session: Session, orgs: list[int]) -> dict[int, tuple[Membership, int]]:
    rows = session.execute(
        select(
            SupplierProfile.organization_id, SupplierProfile.membership, SupplierProfile.capacity
        ).where(SupplierProfile.organization_id.in_(orgs))
    )
    return {org: (membership, capacity) for org, membership, capacity in rows}


def availability(session: Session, org_ids: Iterable[int]) -> dict[int, str]:
    """Each supplier organisation's state; an organisation that is no supplier is not
    admitted."""
    orgs = sorted(set(org_ids))
    found = _rows(session, orgs)
    active = active_engagements(session, orgs)
    return {org: _state(found.get(org), active.get(org, 0)) for org in orgs}


def standing(session: Session, org_ids: Iterable[int]) -> dict[int, Membership | None]:
    """Each organisation's membership (None: not a supplier)."""
    found = _rows(session, sorted(set(org_ids)))
    return {org: found[org][0] if org in found else None for org in set(org_ids)}


def require_admitted(session: Session, org_id: int, refusal: str) -> None:
    """For acting on a supplier's work: a 409 with `refusal` (an English msgid with
    %(state)s) unless the supplier is admitted now."""
    state = standing(session, [org_id])[org_id]
    if state is not Membership.admitted:
        name = MEMBERSHIP_NAMES[state] if state else MEMBERSHIP_NAMES[Membership.applied]
        raise Conflict(refusal, state=name)


def _state(row: tuple[Membership, int] | None, active: int) -> str:
    if row is None or row[0] is not Membership.admitted:
        return NOT_ADMITTED
    return AT_CAPACITY if active >= row[1] else AVAILABLE


def require_available(session: Session, org_id: int) -> None:
    """For a person putting a supplier forward (invitation, proposal, a round's pick)."""
    state = availability(session, [org_id])[org_id]
    if state == NOT_ADMITTED:
        raise NotFound("Supplier not found.")
    if state == AT_CAPACITY:
        raise Conflict("This supplier is at capacity: it cannot take on new work now.")


def known_certifications(session: Session) -> frozenset[str]:
    """Every certification an admitted supplier holds (what a must-have line may name)."""
    rows = session.scalars(
        select(SupplierProfile.certifications).where(
            SupplierProfile.membership == Membership.admitted
        )
    )
    return frozenset(c for certifications in rows for c in certifications)


def need_profile(session: Session, need: Need) -> matching.NeedProfile:
    """The need as matching sees it, with its manufacturer's level and required
    certifications (read from the database: for paths without an index cache)."""
    level = session.scalar(
        select(ManufacturerProfile.sf_level).where(
            ManufacturerProfile.organization_id == need.organization_id
        )
    )
    return need_record(need, level, known_certifications(session))


def eligible_for_need(session: Session, need: Need, org_ids: Iterable[int]) -> set[int]:
    """The supplier organisations that may be told of `need` by the machine (saved-search
    alerts): available, and passing matching's hard filters for it. Readiness routing is
    left to the alert's own scoring ("match my profile" ranks as Recommended needs does; a
    text search is the supplier's own words), as the saved-search rules state."""
    orgs = set(org_ids)
    states = availability(session, orgs)
    record = replace(need_profile(session, need), requires_any=frozenset())
    ids = select(SupplierProfile.id).where(SupplierProfile.organization_id.in_(orgs))
    return {
        p.organization_id
        for p in load_suppliers(session, session.scalars(ids))
        if states[p.organization_id] == AVAILABLE
        and matching.passes_filters(record, supplier_record(p))
    }
