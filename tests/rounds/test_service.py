from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.errors import Conflict, Invalid, NotFound
from app.models import (
    AuditEntry,
    Bid,
    BidInvitation,
    ConflictKind,
    ConflictOfInterest,
    Membership,
    NeedStatus,
    Notification,
    RoundStatus,
    utcnow,
)
from app.rounds import release, service
from app.rounds.candidates import SEOUL, NeedFilters, open_needs
from app.rounds.schemas import PairIn, SolveIn, VersionIn, WithdrawIn
from tests.builders import make_engagement, make_manufacturer, make_need, make_supplier
from tests.rounds.conftest import NEED_TEXT, profile, round_in


def kinds(round_, kind: str) -> set[tuple[int, int]]:
    return {(p.need_id, p.supplier_org_id) for p in round_.pairs if p.kind == kind}


def shortlisted(round_) -> set[int]:
    return {s for _, s in kinds(round_, "shortlist")}


def actions(session, action: str) -> int:
    return session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action))


def conflict(session, world, supplier: str, maker: int = 0) -> None:
    session.add(
        ConflictOfInterest(
            supplier_org_id=world.org(supplier),
            manufacturer_org_id=world.makers[maker].organization_id,
            kind=ConflictKind.affiliated,
            reason="대표이사 겸직",
        )
    )
    session.flush()


def test_a_round_proposes_shortlists_from_the_engine_ranking(session, world, cache) -> None:
    round_ = service.create_round(session, cache, world.coordinator, round_in())
    assert round_.status is RoundStatus.draft and len(round_.needs) == 3
    for need in world.needs:
        listed = sorted(
            (p for p in round_.pairs if p.need_id == need and p.kind == "shortlist"),
            key=lambda p: p.rank,
        )
        assert [p.rank for p in listed] == [1, 2]
        assert all(p.parts["parts"] and p.score > 0 for p in listed)
    assert world.org("best") in shortlisted(round_)
    stats = round_.stats
    assert stats["status"] == "optimal" and stats["needs"] == 3 and stats["shortlist"] == 6
    assert stats["topk_objective"] >= stats["objective"] > 0 and stats["seconds"] >= 0
    assert actions(session, "round.created") == actions(session, "round.solved") == 1


def test_a_supplier_out_of_capacity_is_not_shortlisted(session, world, cache) -> None:
    profile(session, world.suppliers["best"]).capacity = 1
    other = make_need(session, make_manufacturer(session, "다른공장"), status=NeedStatus.open)
    session.add(BidInvitation(need_id=other.id, supplier_org_id=world.org("best")))
    profile(session, world.suppliers["good"]).capacity = 1
    make_engagement(session, world.makers[1], world.suppliers["good"])
    session.flush()
    data = round_in(need_ids=world.needs)  # the other manufacturer's need stays out
    round_ = service.create_round(session, cache, world.coordinator, data)
    assert not {world.org("best"), world.org("good")} & shortlisted(round_)
    moved = [p for p in round_.pairs if p.supplier_org_id == world.org("best")]
    assert moved and all("capacity" in p.parts["reasons"] for p in moved if p.topk_rank <= 2)
    assert round_.stats["changed_by"]["capacity"] >= 1


def test_an_invitation_to_a_need_of_the_round_uses_capacity_too(session, world, cache) -> None:
    profile(session, world.suppliers["best"]).capacity = 1
    session.add(BidInvitation(need_id=world.needs[0], supplier_org_id=world.org("best")))
    session.flush()
    round_ = service.create_round(session, cache, world.coordinator, round_in())
    assert world.org("best") not in shortlisted(round_)


def test_conflicted_pairs_are_never_proposed(session, world, cache) -> None:
    conflict(session, world, "best")
    round_ = service.create_round(session, cache, world.coordinator, round_in(alternates=3))
    proposed = kinds(round_, "shortlist") | kinds(round_, "alternate")
    best = world.org("best")
    assert (world.needs[0], best) not in proposed and (world.needs[1], best) not in proposed
    assert (world.needs[2], best) in kinds(round_, "shortlist")  # another manufacturer
    dropped = {(p.need_id, p.supplier_org_id): p for p in round_.pairs if p.kind == "dropped"}
    assert dropped[(world.needs[0], best)].parts["reasons"] == ["conflict"]
    with pytest.raises(Conflict):
        service.add_pair(
            session,
            cache,
            world.coordinator,
            round_.id,
            PairIn(version=round_.version, need_id=world.needs[0], supplier_org_id=best),
        )


def test_the_cap_limits_shortlists_per_supplier(session, world, cache) -> None:
    round_ = service.create_round(session, cache, world.coordinator, round_in(supplier_cap=2))
    counts = [s for _, s in kinds(round_, "shortlist")]
    assert max(counts.count(s) for s in counts) <= 2
    assert round_.stats["changed_by"].get("cap", 0) >= 1  # the best two were top for all three


def test_the_new_supplier_quota_brings_in_a_newly_admitted_supplier(session, world, cache) -> None:
    plain = service.create_round(session, cache, world.coordinator, round_in())
    assert world.org("newbie") not in shortlisted(plain)
    # The newbie's ERP text is below the minimum fit: only a round filling empty places
    # may take it (test_an_unrelated_supplier_stays_off_without_fill_empty).
    data = round_in(min_new_suppliers=1, new_supplier_days=30, fill_empty=True)
    round_ = service.create_round(session, cache, world.coordinator, data)
    assert world.org("newbie") in shortlisted(round_)
    (pair,) = [
        p
        for p in round_.pairs
        if p.supplier_org_id == world.org("newbie") and p.kind == "shortlist"
    ]
    assert pair.parts["reasons"] == ["new_quota"] and pair.parts["new"] is True
    assert round_.stats["quota"] == {"required": 1, "met": 1, "available": 1}


def test_removed_and_forced_pairs_survive_a_re_solve(session, world, cache) -> None:
    round_ = service.create_round(session, cache, world.coordinator, round_in())
    top = next(p for p in round_.pairs if p.kind == "shortlist" and p.need_id == world.needs[0])
    alternate = next(p for p in round_.pairs if p.kind == "alternate")
    service.remove_pair(
        session, world.coordinator, round_.id, top.id, VersionIn(version=round_.version)
    )
    service.force_pair(
        session, world.coordinator, round_.id, alternate.id, VersionIn(version=round_.version)
    )
    assert round_.stats["edited"] is True
    service.solve(
        session,
        cache,
        world.coordinator,
        round_.id,
        SolveIn(version=round_.version, shortlist_size=2, alternates=1),
    )
    assert (top.need_id, top.supplier_org_id) in kinds(round_, "excluded")
    assert (top.need_id, top.supplier_org_id) not in kinds(round_, "shortlist")
    assert (alternate.need_id, alternate.supplier_org_id) in kinds(round_, "shortlist")
    assert alternate.source == "forced" and round_.stats["edited"] is False
    assert actions(session, "round.pair_removed") == actions(session, "round.pair_forced") == 1


def test_an_added_supplier_stays_on_the_shortlist(session, world, cache) -> None:
    round_ = service.create_round(session, cache, world.coordinator, round_in(alternates=0))
    data = PairIn(
        version=round_.version, need_id=world.needs[2], supplier_org_id=world.org("newbie")
    )
    pair = service.add_pair(session, cache, world.coordinator, round_.id, data)
    assert pair.kind == "shortlist" and pair.source == "added"
    service.solve(
        session,
        cache,
        world.coordinator,
        round_.id,
        SolveIn(version=round_.version, shortlist_size=2, alternates=0),
    )
    assert (world.needs[2], world.org("newbie")) in kinds(round_, "shortlist")
    applicant = make_supplier(session, "신청중", membership=Membership.applied)
    with pytest.raises(NotFound):
        service.add_pair(
            session,
            cache,
            world.coordinator,
            round_.id,
            PairIn(
                version=round_.version,
                need_id=world.needs[0],
                supplier_org_id=applicant.organization_id,
            ),
        )


def test_hard_requirements_keep_pairs_out(session, world, cache) -> None:
    far = make_supplier(session, "서울비전", description_ko=NEED_TEXT, region="seoul")
    picky = make_supplier(session, "고도화전문", description_ko=NEED_TEXT, min_sf_level="advanced")
    certified = make_supplier(
        session, "인증비전", description_ko=NEED_TEXT, certifications=["ISO 9001"]
    )
    maker = make_manufacturer(session, "밀양금속", sf_level="none")
    need = make_need(
        session,
        maker,
        title="찍힘 검사",
        description=NEED_TEXT,
        prefer_in_province=True,
        must_have=["ISO 9001 인증 보유"],
    )
    session.commit()
    round_ = service.create_round(
        session, cache, world.coordinator, round_in(need_ids=[need.id], shortlist_size=10)
    )
    rules = {p.supplier_org_id: p.parts.get("blocked") for p in round_.pairs}
    assert rules[far.organization_id] == "out_of_province"
    assert rules[picky.organization_id] == "below_required_sf_level"
    assert rules.get(world.org("best")) == "missing_certification"
    assert {certified.organization_id} == shortlisted(round_)
    assert round_.stats["shortfalls"][0]["relax"] == "missing_certification"


def test_infeasible_rounds_say_what_to_relax(session, world, cache) -> None:
    for name in world.suppliers:
        conflict(session, world, name, maker=1)
    data = round_in(min_new_suppliers=3, new_supplier_days=30, fill_empty=True)
    round_ = service.create_round(session, cache, world.coordinator, data)
    stats = round_.stats
    assert stats["status"] == "relaxed"
    (short,) = stats["shortfalls"]
    assert short["need_id"] == world.needs[2] and short["missing"] == 2
    assert short["relax"] == "conflict" and short["blocked"]["conflict"] == 5
    assert stats["quota"]["met"] == 1 < stats["quota"]["required"]


def test_a_round_needs_an_open_need(session, world, cache) -> None:
    with pytest.raises(Invalid):
        service.create_round(session, cache, world.coordinator, round_in(region="seoul"))


def test_filters_select_open_needs(session, world) -> None:
    late = make_need(
        session, world.makers[1], title="마감 지남", deadline_at=utcnow() - timedelta(days=1)
    )
    assert late.id not in {n.id for n in open_needs(session, NeedFilters())}
    assert {n.id for n in open_needs(session, NeedFilters(industry="30"))} == set(world.needs)
    assert not open_needs(session, NeedFilters(industry="10"))
    today = datetime.now(SEOUL).date()
    assert len(open_needs(session, NeedFilters(posted_from=today, posted_to=today))) == 3
    assert not open_needs(session, NeedFilters(posted_to=today - timedelta(days=2)))


def test_release_invites_the_shortlists_in_one_step(session, world, cache) -> None:
    round_ = service.create_round(session, cache, world.coordinator, round_in())
    first = next(p for p in round_.pairs if p.kind == "shortlist")
    session.add(BidInvitation(need_id=first.need_id, supplier_org_id=first.supplier_org_id))
    session.flush()
    release.release(session, world.coordinator, round_.id, VersionIn(version=round_.version))
    invitations = session.scalars(
        select(BidInvitation).where(BidInvitation.round_id == round_.id)
    ).all()
    assert len(invitations) == 5 and {i.source for i in invitations} == {"round"}
    assert round_.status is RoundStatus.released and round_.stats["released"] == {
        "invited": 5,
        "already_invited": 1,
    }
    assert actions(session, "bid.invited") == 5 and actions(session, "round.released") == 1
    invited_users = select(func.count(Notification.id)).where(Notification.kind == "invited")
    assert session.scalar(invited_users) == 5  # one user per supplier: each is told
    with pytest.raises(Conflict):
        release.release(session, world.coordinator, round_.id, VersionIn(version=round_.version))
    with pytest.raises(Conflict):
        service.remove_pair(
            session, world.coordinator, round_.id, first.id, VersionIn(version=round_.version)
        )


def test_a_stale_version_is_refused(session, world, cache) -> None:
    round_ = service.create_round(session, cache, world.coordinator, round_in())
    seen = round_.version
    pair = next(p for p in round_.pairs if p.kind == "alternate")
    service.force_pair(session, world.coordinator, round_.id, pair.id, VersionIn(version=seen))
    with pytest.raises(Conflict):
        release.release(session, world.coordinator, round_.id, VersionIn(version=seen))


def test_withdraw_takes_back_invitations_without_a_bid(session, world, cache) -> None:
    round_ = service.create_round(session, cache, world.coordinator, round_in())
    release.release(session, world.coordinator, round_.id, VersionIn(version=round_.version))
    bidder = next(p for p in round_.pairs if p.kind == "shortlist")
    session.add(
        Bid(need_id=bidder.need_id, supplier_org_id=bidder.supplier_org_id, price_total=5000)
    )
    session.flush()
    with pytest.raises(Conflict):
        release.withdraw(
            session, world.coordinator, round_.id, WithdrawIn(version=1, reason="잘못 발송")
        )
    release.withdraw(
        session,
        world.coordinator,
        round_.id,
        WithdrawIn(version=round_.version, reason="수요 재검토"),
    )
    left = session.scalars(select(BidInvitation).where(BidInvitation.round_id == round_.id)).all()
    assert [(i.need_id, i.supplier_org_id) for i in left] == [
        (bidder.need_id, bidder.supplier_org_id)
    ]
    assert round_.status is RoundStatus.withdrawn and round_.withdraw_reason == "수요 재검토"
    assert (
        actions(session, "bid.invitation_withdrawn") == 5
        and actions(session, "round.withdrawn") == 1
    )
