"""The decisions the people concerned must know of (app/notifications/decisions.py): each is
told to the right people, in their language, and a request is marked done once acted on."""

from sqlalchemy import select

from app.bids import selection
from app.bids.schemas import ProposalIn
from app.engagements import outcomes, work
from app.engagements.stages import move_stage
from app.models import Notification, OutboxMessage, ResultPhase, Stage
from app.notifications.kinds import describe
from tests.bids.conftest import make_bid, pass_deadline
from tests.builders import make_need
from tests.engagements.helpers import cast, meet_gate


def _of(session, user, kind: str) -> list[Notification]:
    session.flush()
    session.expire_all()  # marks done are bulk updates
    query = select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
    return list(session.scalars(query.order_by(Notification.id)))


def test_stage_moves_reach_both_parties_and_close_the_sign_off_request(session) -> None:
    c = cast(session)
    other = cast(session).coordinator  # a second coordinator, told of the sign-off
    meet_gate(session, c, Stage.design)
    request = _of(session, other, "stage_to_sign_off")
    assert request and request[0].read_at is None
    move_stage(session, c.coordinator, c.engagement.id, Stage.design, None)
    assert _of(session, other, "stage_to_sign_off")[0].read_at is not None
    for party in (c.supplier, c.manufacturer):
        moved = _of(session, party, "stage_moved")
        assert [n.params["stage"] for n in moved] == ["design"]
    text = describe("stage_moved", moved[0].params, "ko")
    assert "현장 맞춤형 설계" in text
    mail = session.scalars(select(OutboxMessage).where(OutboxMessage.to_email == c.supplier.email))
    assert any("현장 맞춤형 설계" in m.subject for m in mail)


def test_cancelling_tells_the_parties_why(session) -> None:
    c = cast(session)
    move_stage(session, c.coordinator, c.engagement.id, Stage.cancelled, None, "예산 삭감")
    told = _of(session, c.manufacturer, "engagement_cancelled")
    assert "예산 삭감" in describe(told[0].kind, told[0].params, "en")


def test_milestones_delivered_and_accepted(session) -> None:
    c = cast(session)
    milestone = work.add_milestone(
        session, c.supplier, c.engagement.id, Stage.consulting, "진단 보고서", "", None
    )
    work.deliver_milestone(session, c.supplier, c.engagement.id, milestone.id)
    delivered = _of(session, c.manufacturer, "milestone_delivered")
    assert "진단 보고서" in describe(delivered[0].kind, delivered[0].params, "ko")
    work.accept_milestone(session, c.manufacturer, c.engagement.id, milestone.id)
    assert _of(session, c.manufacturer, "milestone_delivered")[0].read_at is not None
    assert _of(session, c.supplier, "milestone_accepted")


def test_results_verified_or_rejected_reach_the_parties(session) -> None:
    from tests.engagements.helpers import advance

    c = cast(session)
    advance(session, c, Stage.demonstration)
    kpi = c.engagement.kpis[0]
    result = outcomes.record_result(
        session, c.supplier, c.engagement.id, kpi.id, ResultPhase.demonstration, 0.9, "측정"
    )
    outcomes.reject_result(session, c.coordinator, c.engagement.id, result.id, "근거 부족")
    rejected = _of(session, c.supplier, "result_rejected")
    assert "근거 부족" in describe(rejected[0].kind, rejected[0].params, "ko")
    outcomes.record_result(
        session, c.supplier, c.engagement.id, kpi.id, ResultPhase.demonstration, 0.9, "성적서"
    )
    outcomes.verify_result(session, c.coordinator, c.engagement.id, result.id)
    assert _of(session, c.manufacturer, "result_verified")
    other = cast(session).coordinator
    assert all(n.read_at is not None for n in _of(session, other, "result_to_verify"))


def test_a_declined_proposal_is_told_to_the_coordinators(session) -> None:
    c = cast(session)
    need = make_need(session, c.manufacturer, title="직접 제안 수요")
    pass_deadline(session, need)
    body = ProposalIn(supplier_org_id=c.supplier.organization_id)
    selection.propose(session, c.coordinator, need.id, body)
    other = cast(session).coordinator
    selection.decide_proposal(
        session, c.manufacturer, need.id, c.supplier.organization_id, False, None
    )
    assert _of(session, other, "proposal_declined")
    assert _of(session, c.coordinator, "proposal_declined")
    assert all(n.read_at for n in _of(session, c.manufacturer, "proposal_to_decide"))


def test_ending_the_bidding_tells_the_bidders_why(session) -> None:
    from tests.bids.conftest import future

    c = cast(session)
    need = make_need(session, c.manufacturer, deadline_at=future(), title="입찰 중 수요")
    make_bid(session, c.supplier, need)
    other = cast(session)
    body = ProposalIn(
        supplier_org_id=other.supplier.organization_id,
        end_bidding=True,
        end_reason="지원단이 적합 공급기업을 직접 제안합니다",
    )
    selection.propose(session, c.coordinator, need.id, body)
    told = _of(session, c.supplier, "bidding_ended")
    assert "직접 제안" in describe(told[0].kind, told[0].params, "en")
