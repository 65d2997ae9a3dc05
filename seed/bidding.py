"""Demo bidding on open needs (seed/data/bidding.jsonl), played through the same services as
the pages, so versions, audit entries and notifications are all in place: invitations,
anonymous questions and answers, sealed bids; on needs whose deadline has passed, shortlists
and a selection waiting for a coordinator; a coordinator's proposal waiting for the
manufacturer. Idempotent by need: a need that already has any bidding is left alone."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from app.bids import dialogue, selection
from app.bids import service as bids
from app.bids.schemas import BidIn, ProposalIn, SelectIn
from app.models import (
    AuditEntry,
    Base,
    Bid,
    BidInvitation,
    BidVersion,
    Clarification,
    MatchProposal,
    Need,
    NeedStatus,
    Organization,
    Role,
    User,
    utcnow,
)

# What moves back in time with a need's deadline, and the audit entries of those rows.
REWIND: dict[type[Base], tuple[str, ...]] = {
    Bid: ("submitted_at", "updated_at", "withdrawn_at"),
    BidVersion: ("created_at",),
    BidInvitation: ("created_at", "seen_at"),
    Clarification: ("asked_at", "answered_at"),
}


class Cast:
    """The demo users who act: each organisation's first user, and the coordinator."""

    def __init__(self, session: Session) -> None:
        self.session = session
        query = select(User).where(User.role == Role.coordinator).order_by(User.id).limit(1)
        self.coordinator = session.scalars(query).one()

    def org(self, external_id: str) -> Organization:
        query = select(Organization).where(Organization.external_id == external_id)
        return self.session.scalars(query).one()

    def user(self, external_id: str) -> User:
        return self.org(external_id).users[0]


def load_bidding(session: Session, path: Path) -> int:
    """Plays each line's bidding on its need; returns how many needs were played."""
    from seed.loader import read_jsonl

    cast, played = Cast(session), 0
    for row in read_jsonl(path):
        need = session.scalar(select(Need).where(Need.external_id == row["need"]))
        if need is None or need.status is not NeedStatus.open or has_bidding(session, need):
            continue
        play(session, cast, need, row)
        played += 1
    session.flush()
    return played


def has_bidding(session: Session, need: Need) -> bool:
    return any(
        session.scalar(select(exists().where(model.need_id == need.id)))
        for model in (Bid, BidInvitation, Clarification, MatchProposal)
    )


def play(session: Session, cast: Cast, need: Need, row: dict[str, Any]) -> None:
    owner = need.organization.users[0]
    for invitation in row.get("invite", []):
        inviter = owner if invitation["by"] == "manufacturer" else cast.coordinator
        dialogue.invite(session, inviter, need.id, cast.org(invitation["supplier"]).id)
        if invitation["seen"]:
            dialogue.open_invitation(session, cast.user(invitation["supplier"]), need.id)
    for item in row.get("questions", []):
        question = dialogue.ask(session, cast.user(item["by"]), need.id, item["question"])
        session.flush()
        if item["answer"]:
            dialogue.answer(session, owner, need.id, question.id, item["answer"])
    for bid in row.get("bids", []):
        submit(session, cast.user(bid["supplier"]), need, bid)
    if row.get("closed_days_ago"):
        close_bidding(session, need, row["closed_days_ago"])
    decide(session, cast, need, owner, row)


def submit(session: Session, supplier: User, need: Need, row: dict[str, Any]) -> None:
    """A bid (and, with `edit`, a second version of it) citing the supplier's case studies."""
    studies = supplier.organization.supplier.case_studies  # type: ignore[union-attr]
    total, subsidy = row["price"]
    body = {
        "approach": row["approach"],
        "team": row.get("team", ""),
        "timeline": [{"stage": s, "weeks": w} for s, w in row["weeks"].items()],
        "price_total": total,
        "price_subsidy": subsidy,
        "price_copay": total - subsidy,
        "case_study_ids": [studies[i].id for i in row.get("cases", [])],
        "attachments": row.get("attachments", []),
    }
    bid = bids.submit_bid(session, supplier, need.id, BidIn(**body))
    if "edit" in row:
        total, subsidy = row["edit"]["price"]
        edit = {"price_total": total, "price_subsidy": subsidy, "price_copay": total - subsidy}
        bids.submit_bid(session, supplier, need.id, BidIn(**body | edit, version=bid.version))


def close_bidding(session: Session, need: Need, days_ago: int) -> None:
    """As if the deadline had passed `days_ago` days ago: the deadline and the bidding so far
    move back together (the bids land a day before the deadline), so every timestamp and
    the audit log stay in order. Plain UPDATEs: moving a row in time is not an edit of it."""
    session.flush()
    shift = timedelta(days=days_ago + 1)
    for model, ids in bidding_ids(session, need.id).items():
        rewind(session, model, ids, REWIND[model], shift)
        entries = select(AuditEntry.id).where(
            AuditEntry.entity_type == model.__tablename__, AuditEntry.entity_id.in_(ids)
        )
        rewind(session, AuditEntry, list(session.scalars(entries)), ("created_at",), shift)
    session.expire_all()
    need.deadline_at = utcnow() - timedelta(days=days_ago)
    session.flush()


def bidding_ids(session: Session, need_id: int) -> dict[type[Base], list[int]]:
    bid_ids = list(session.scalars(select(Bid.id).where(Bid.need_id == need_id)))
    versions = select(BidVersion.id).where(BidVersion.bid_id.in_(bid_ids))
    invitations = select(BidInvitation.id).where(BidInvitation.need_id == need_id)
    questions = select(Clarification.id).where(Clarification.need_id == need_id)
    return {
        Bid: bid_ids,
        BidVersion: list(session.scalars(versions)),
        BidInvitation: list(session.scalars(invitations)),
        Clarification: list(session.scalars(questions)),
    }


def rewind(
    session: Session, model: type[Base], ids: list[int], columns: tuple[str, ...], shift: timedelta
) -> None:
    """Moves these rows' timestamp columns back by `shift`."""
    table = model.__table__
    for row in session.execute(select(table).where(table.c.id.in_(ids))).mappings():
        values = {c: row[c] - shift for c in columns if row[c] is not None}
        session.execute(update(table).where(table.c.id == row["id"]).values(values))


END_REASON = "입찰이 들어오지 않아 지원단이 실적 있는 공급기업을 직접 제안합니다 (데모 데이터)"


def decide(session: Session, cast: Cast, need: Need, owner: User, row: dict[str, Any]) -> None:
    for supplier in row.get("shortlist", []):
        selection.toggle_shortlist(session, owner, need.id, cast.org(supplier).id)
    if award := row.get("award"):
        choice = SelectIn(
            supplier_org_id=cast.org(award["supplier"]).id, justification=award["justification"]
        )
        selection.select_bid(session, owner, need.id, choice)
    if proposal := row.get("proposal"):
        body = ProposalIn(
            supplier_org_id=cast.org(proposal["supplier"]).id,
            note=proposal["note"],
            end_bidding=bids.bidding_open(need),  # a proposal ends sealed bidding, with a reason
            end_reason=END_REASON if bids.bidding_open(need) else None,
        )
        selection.propose(session, cast.coordinator, need.id, body)
