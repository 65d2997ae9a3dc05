"""The demo data's bidding: what the README's demo logins find, consistent in time."""

from sqlalchemy import func, select

from app.bids import service
from app.models import (
    AuditEntry,
    Award,
    AwardStatus,
    Bid,
    BidInvitation,
    Clarification,
    MatchProposal,
    Need,
    ProposalStatus,
    User,
)
from seed.bidding import load_bidding
from seed.loader import DATA_DIR, load_demo


def user(session, email: str) -> User:
    return session.scalars(select(User).where(User.email == email)).one()


def need(session, external_id: str) -> Need:
    return session.scalars(select(Need).where(Need.external_id == external_id)).one()


def test_demo_bidding_is_there_for_the_demo_logins(session) -> None:
    load_demo(session)
    bracket = need(session, "need-press-bracket-visual-check")
    owner = user(session, "contact@daegwang-autotech.example.kr")
    view = service.visible_bids(session, owner, bracket.id)
    assert not view.sealed and len(view.bids) == 3  # bids to compare
    sealed = need(session, "need-injection-dimension-passfail")
    early = service.visible_bids(session, user(session, "ax@saehan-platech.example.kr"), sealed.id)
    assert early.sealed and early.bids == []
    staff = service.visible_bids(session, user(session, "coordinator@gn-ai.example.kr"), sealed.id)
    assert staff.count == 1 and staff.bids == []
    pending = session.scalars(select(Award).where(Award.status == AwardStatus.pending)).one()
    assert pending.need.organization.users[0].email == "biz@seojin-chassis.example.kr"
    proposal = session.scalars(select(MatchProposal)).one()
    assert proposal.status is ProposalStatus.proposed
    supplier = user(session, "info@nurivision.example.kr")
    invitations = session.scalars(
        select(BidInvitation).where(BidInvitation.supplier_org_id == supplier.organization_id)
    ).all()
    assert len(invitations) == 2 and any(i.seen_at is None for i in invitations)
    assert len(service.my_bids(session, supplier)) == 1
    assert session.scalar(select(func.count(Clarification.id))) >= 4


def test_closed_bidding_happened_before_its_deadline(session) -> None:
    load_demo(session)
    bracket = need(session, "need-press-bracket-visual-check")
    bids = session.scalars(select(Bid).where(Bid.need_id == bracket.id)).all()
    assert all(b.submitted_at < bracket.deadline_at for b in bids)
    assert [len(b.versions) for b in bids].count(2) == 1  # one bid was edited
    entries = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == "bids", AuditEntry.entity_id.in_([b.id for b in bids])
        )
    ).all()
    submitted = [e for e in entries if e.action in ("bid.submitted", "bid.edited")]
    assert len(submitted) == 4 and all(e.created_at < bracket.deadline_at for e in submitted)
    assert any(e.action == "bid.shortlisted" for e in entries)


def test_loading_the_bidding_again_adds_nothing(session) -> None:
    load_demo(session)
    counts = [session.scalar(select(func.count(m.id))) for m in (Bid, BidInvitation, Award)]
    assert load_bidding(session, DATA_DIR / "bidding.jsonl") == 0
    assert [session.scalar(select(func.count(m.id))) for m in (Bid, BidInvitation, Award)] == (
        counts
    )
