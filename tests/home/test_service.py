"""Each role's home lists what waits for it, and nothing of anyone else's."""

from datetime import timedelta

from sqlalchemy import update

from app.bids.schemas import SelectIn
from app.bids.selection import select_bid
from app.home import market
from app.home.service import load_home
from app.matches.service import Suggestion
from app.models import AuditEntry, Membership, Stage, utcnow
from tests.builders import make_engagement, make_manufacturer, make_staff, make_supplier
from tests.home.helpers import (
    delivered_milestone,
    invite,
    open_need,
    past_deadline,
    put_in,
    question,
    recorded_result,
)


def lists(session, user, settings, cache=None) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    home = load_home(session, user, settings, cache)
    return {s.kind: [i.href for i in s.items] for s in home.sections}


def test_a_manufacturer_compares_bids_answers_questions_accepts_milestones(
    session, settings
) -> None:
    owner, supplier = make_manufacturer(session), make_supplier(session)
    other = make_manufacturer(session, name="남의공장")
    closed = past_deadline(session, owner, supplier)
    past_deadline(session, owner)  # no bid: nothing to compare
    past_deadline(session, other, supplier)  # someone else's
    asked = open_need(session, owner, title="질문 받은 수요")
    question(session, asked, supplier)
    question(session, asked, supplier, answer="500장입니다")
    engagement = make_engagement(session, owner, supplier)
    delivered_milestone(session, engagement, supplier)
    found = lists(session, owner, settings)
    assert found["bids_to_compare"] == [f"/needs/{closed.id}/bids"]
    assert found["questions_to_answer"] == [f"/needs/{asked.id}/questions"]
    assert found["milestones_to_accept"] == [f"/engagements/{engagement.id}#milestones"]
    home = load_home(session, owner, settings)
    assert home.total == 3
    notes = [i.text("en") for s in home.sections for i in s.items]
    assert "1 bids; bidding closed" in notes and "1 unanswered questions" in notes


def test_a_selection_takes_the_need_off_the_comparison_list(session, settings) -> None:
    owner, supplier = make_manufacturer(session), make_supplier(session)
    need = past_deadline(session, owner, supplier)
    select_bid(
        session,
        owner,
        need.id,
        SelectIn(supplier_org_id=supplier.organization_id, justification="가격과 실적이 가장 좋음"),
    )
    assert lists(session, owner, settings)["bids_to_compare"] == []


def test_a_supplier_sees_invitations_answers_waiting_bids_and_results(session, settings) -> None:
    owner, supplier = make_manufacturer(session), make_supplier(session)
    invited = open_need(session, owner, title="초대받은 수요")
    invite(session, invited, supplier)
    bid_on = open_need(session, owner, title="이미 입찰한 수요")
    invite(session, bid_on, supplier)
    from tests.home.helpers import bid

    bid(session, bid_on, supplier)
    question(session, invited, supplier, answer="네, 가능합니다")
    waiting = past_deadline(session, owner, supplier, title="선정 대기")
    engagement = make_engagement(session, owner, supplier)
    put_in(session, engagement, Stage.demonstration)
    found = lists(session, supplier, settings)
    assert found["invitations"] == [f"/needs/{invited.id}/bid"]
    assert found["questions_answered"] == [f"/needs/{invited.id}/questions"]
    assert found["bids_awaiting_decision"] == [f"/needs/{waiting.id}/bid"]
    assert found["results_to_record"] == [f"/engagements/{engagement.id}#kpis"]
    assert "recommendations" not in found  # only with the index (not in the nav's count)
    recorded_result(session, engagement, supplier)
    assert lists(session, supplier, settings)["results_to_record"] == []


def test_a_supplier_is_recommended_only_needs_at_high_fit(session, settings, monkeypatch) -> None:
    owner, supplier = make_manufacturer(session), make_supplier(session)
    high, medium = open_need(session, owner, title="높음"), open_need(session, owner, title="중간")

    def found(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        def hit(need, level):  # type: ignore[no-untyped-def]
            return Suggestion(need.id, need.title, 1.0, {}, [], [], level=level)

        return [hit(high, "high"), hit(medium, "medium")]

    monkeypatch.setattr(market.matches, "recommend_needs", found)
    home = load_home(session, supplier, settings, cache=object())  # type: ignore[arg-type]
    section = next(s for s in home.sections if s.kind == "recommendations")
    assert [i.href for i in section.items] == [f"/needs/{high.id}"] and not section.action
    applicant = make_supplier(session, "신청사", membership=Membership.applied)
    home = load_home(session, applicant, settings, cache=object())  # type: ignore[arg-type]
    assert next(s for s in home.sections if s.kind == "recommendations").items == []


def test_a_coordinator_approves_admits_verifies_signs_off_and_chases(session, settings) -> None:
    coordinator, owner = make_staff(session), make_manufacturer(session)
    supplier = make_supplier(session)
    applicant = make_supplier(session, "신청사", membership=Membership.applied)
    need = past_deadline(session, owner, supplier)
    award = select_bid(
        session,
        owner,
        need.id,
        SelectIn(supplier_org_id=supplier.organization_id, justification="가격과 실적이 가장 좋음"),
    )
    session.flush()
    measured = make_engagement(session, owner, supplier, title="성과 기록됨")
    put_in(session, measured, Stage.demonstration)
    recorded_result(session, measured, supplier)
    late = make_engagement(session, owner, supplier, title="지연")
    late.stages[0].planned_end = utcnow().date() - timedelta(days=2)
    quiet = make_engagement(session, owner, supplier, title="정체")
    old = utcnow() - timedelta(days=settings.stalled_days + 1)
    session.execute(
        update(AuditEntry).where(AuditEntry.entity_id == quiet.id).values(created_at=old)
    )
    quiet.created_at = old
    session.flush()
    found = lists(session, coordinator, settings)
    assert found["selections_to_approve"] == [f"/awards#award-{award.id}"]
    assert f"/coordinator/suppliers/{applicant.organization_id}/membership" in found["applications"]
    assert found["results_to_verify"] == [f"/engagements/{measured.id}#kpis"]
    assert found["overdue"] == [f"/engagements/{late.id}"]
    assert found["stalled"] == [f"/engagements/{quiet.id}"]
    home = load_home(session, coordinator, settings)
    stalled = next(s for s in home.sections if s.kind == "stalled").items[0]
    assert stalled.flags == ("stalled",)


def test_a_stage_whose_gate_is_met_waits_for_sign_off(session, settings) -> None:
    from tests.engagements.helpers import cast, plan_design

    c = cast(session)
    plan_design(session, c)
    found = lists(session, c.coordinator, settings)
    assert found["stages_to_sign_off"] == [f"/engagements/{c.engagement.id}#gate"]


def test_an_admin_sees_new_accounts_and_open_invitations(session, settings) -> None:
    from app.accounts import service as accounts
    from app.models import Role

    admin, owner = make_staff(session, Role.admin), make_manufacturer(session)
    accounts.invite(session, owner, "new@mfr.example.kr")
    home = load_home(session, admin, settings)
    kinds = {s.kind: s for s in home.sections}
    assert owner.email in [i.params["email"] for i in kinds["new_accounts"].items]
    assert [i.title for i in kinds["invitations_pending"].items] == ["new@mfr.example.kr"]
    assert home.total == kinds["new_accounts"].count  # invitations are status, not a task


def test_a_sponsor_sees_counts_of_its_partners_and_no_names(session, settings) -> None:
    from tests.cohorts.helpers import make_cohort, make_sponsor

    owner, supplier = make_manufacturer(session, name="협력공장"), make_supplier(session)
    make_engagement(session, owner, supplier)
    sponsor = make_sponsor(session)
    cohort = make_cohort(session, sponsor, owner)
    home = load_home(session, sponsor, settings)
    (section,) = home.sections
    (item,) = section.items
    assert item.href == f"/sponsor?cohort={cohort.id}" and home.total == 0
    assert item.params == {"members": 1, "posted": 1, "engaged": 1, "done": 0}
    assert "협력공장" not in item.text("ko")
