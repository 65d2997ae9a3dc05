"""Each stage gate checks what it says (app/engagements/gates.py), on the service, the API and
the page; the deployment gate alone may be overridden, with a reason, and is counted apart."""

import pytest
from sqlalchemy import select

from app.dashboard import service as dashboard
from app.engagements import outcomes, work
from app.engagements.stages import move_stage
from app.errors import Conflict, Invalid
from app.models import (
    AuditEntry,
    EngagementKpi,
    Membership,
    ResultPhase,
    Stage,
)
from tests.engagements.helpers import (
    accept_all,
    advance,
    cast,
    english,
    ids,
    meet_gate,
    plan_design,
    verify_demonstration,
)

REASON = "검사 정확도 미달이나 제조기업 요청으로 도입 후 재측정"


def _refused(session, c, target: Stage) -> str:
    with pytest.raises(Conflict) as refused:
        move_stage(session, c.coordinator, c.engagement.id, target, None)
    assert c.engagement.stage is not target
    return english(refused.value)


def _inspection(c, target: float = 98.0, baseline: float = 85.0) -> EngagementKpi:
    """Replace the default KPI by inspection accuracy (higher is better)."""
    c.engagement.kpis[0].acceptance = False
    kpi = EngagementKpi(metric="inspection_accuracy", unit="%", baseline=baseline, target=target)
    c.engagement.kpis.append(kpi)
    return kpi


def _demonstrate(session, c, kpi: EngagementKpi, value: float) -> None:
    result = outcomes.record_result(
        session, c.supplier, c.engagement.id, kpi.id, ResultPhase.demonstration, value, "측정표"
    )
    outcomes.verify_result(session, c.coordinator, c.engagement.id, result.id)


def test_design_needs_a_plan(session) -> None:
    c = cast(session)
    message = _refused(session, c, Stage.design)
    assert "planned start and end" in message and "at least one milestone" in message
    work.add_milestone(session, c.supplier, c.engagement.id, Stage.design, "설계서", "", None)
    assert "planned start and end" in _refused(session, c, Stage.design)
    plan_design(session, c)
    move_stage(session, c.coordinator, c.engagement.id, Stage.design, None)


def test_demonstration_needs_the_design_milestones_delivered_and_accepted(session) -> None:
    c = cast(session)
    advance(session, c, Stage.design)
    milestone = c.engagement.milestones[0]
    assert "설계서" in _refused(session, c, Stage.demonstration)
    work.deliver_milestone(session, c.supplier, c.engagement.id, milestone.id)
    assert "설계서" in _refused(session, c, Stage.demonstration)  # delivered, not accepted
    work.accept_milestone(session, c.manufacturer, c.engagement.id, milestone.id)
    move_stage(session, c.coordinator, c.engagement.id, Stage.demonstration, None)


@pytest.mark.parametrize(
    ("value", "target", "baseline"), [(10.0, 98.0, 85.0), (32.0, 40.0, 20.0), (97.9, 98.0, 85.0)]
)
def test_a_failed_demonstration_does_not_reach_deployment(session, value, target, baseline) -> None:
    c = cast(session)
    kpi = _inspection(c, target, baseline)
    advance(session, c, Stage.demonstration)
    _demonstrate(session, c, kpi, value)
    assert "missed its target: Inspection accuracy" in _refused(session, c, Stage.deployment)


def test_lower_is_better_metrics_meet_their_target_by_going_down(session) -> None:
    c = cast(session)  # defect rate 3.0% -> 1.0%
    advance(session, c, Stage.demonstration)
    kpi = c.engagement.kpis[0]
    _demonstrate(session, c, kpi, 1.5)
    assert "missed its target: Defect rate" in _refused(session, c, Stage.deployment)
    other = cast(session)
    advance(session, other, Stage.demonstration)
    verify_demonstration(session, other, 0.9)
    move_stage(session, other.coordinator, other.engagement.id, Stage.deployment, None)


def test_every_demonstration_milestone_must_be_accepted(session) -> None:
    c = cast(session)
    advance(session, c, Stage.demonstration)
    work.add_milestone(session, c.supplier, c.engagement.id, Stage.demonstration, "실증", "", None)
    verify_demonstration(session, c)
    assert "실증" in _refused(session, c, Stage.deployment)
    accept_all(session, c, Stage.demonstration)
    move_stage(session, c.coordinator, c.engagement.id, Stage.deployment, None)


def test_the_override_needs_a_written_reason_and_is_kept_and_audited(session) -> None:
    c = cast(session)
    kpi = _inspection(c)
    advance(session, c, Stage.demonstration)
    _demonstrate(session, c, kpi, 10.0)
    with pytest.raises(Invalid):
        move_stage(session, c.coordinator, c.engagement.id, Stage.deployment, None, "짧음", True)
    assert c.engagement.stage is Stage.demonstration
    move_stage(session, c.coordinator, c.engagement.id, Stage.deployment, None, REASON, True)
    e = c.engagement
    assert (e.stage, e.gate_override_reason, e.gate_override_by_id) == (
        Stage.deployment,
        REASON,
        c.coordinator.id,
    )
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.reason, entry.after["override"]) == (
        "engagement.moved",
        REASON,
        True,
    )
    assert "Inspection accuracy" in " ".join(entry.after["shortfalls"])


def test_only_the_deployment_gate_can_be_overridden(session) -> None:
    c = cast(session)
    with pytest.raises(Conflict):
        move_stage(session, c.coordinator, c.engagement.id, Stage.design, None, REASON, True)
    assert c.engagement.gate_override_at is None


def test_closing_needs_verified_deployment_results(session) -> None:
    c = cast(session)
    advance(session, c, Stage.deployment)
    assert "verified deployment result" in _refused(session, c, Stage.closed)
    kpi = c.engagement.kpis[0]
    outcomes.record_result(
        session, c.supplier, c.engagement.id, kpi.id, ResultPhase.deployment, 0.7, "측정"
    )
    assert "verified deployment result" in _refused(session, c, Stage.closed)  # unverified
    meet_gate(session, c, Stage.closed)


def test_a_suspended_supplier_s_engagement_does_not_move_on_but_can_be_cancelled(session) -> None:
    c = cast(session)
    meet_gate(session, c, Stage.design)
    c.supplier.organization.supplier.membership = Membership.suspended
    message = _refused(session, c, Stage.design)
    assert "The supplier is suspended" in message and "Cancel the engagement" in message
    move_stage(session, c.coordinator, c.engagement.id, Stage.cancelled, None, "공급기업 정지")
    assert c.engagement.stage is Stage.cancelled


def test_the_dashboard_counts_met_demonstrations_and_overrides_apart(session) -> None:
    met, short, legacy = cast(session), cast(session), cast(session)
    advance(session, met, Stage.deployment)
    kpi = _inspection(short)
    advance(session, short, Stage.demonstration)
    _demonstrate(session, short, kpi, 32.0)
    move_stage(
        session, short.coordinator, short.engagement.id, Stage.deployment, None, REASON, True
    )
    legacy.engagement.stage = Stage.closed  # reached before the gate checked targets
    session.flush()
    assert dashboard.adoption(session) == (1, 1)


def test_api_and_page_show_the_gate_and_the_override(browser, session) -> None:
    c = cast(session)
    kpi = _inspection(c)
    advance(session, c, Stage.demonstration)
    _demonstrate(session, c, kpi, 10.0)
    session.commit()
    browser.login(c.coordinator)
    url = f"/api/engagements/{c.engagement.id}"
    gate = browser.api("GET", url).json()["gate"]
    assert gate["to"] == "deployment" and gate["overridable"] is True
    assert any("목표에 미달" in text for text in gate["missing"])
    page = browser.get(f"/engagements/{c.engagement.id}").text
    assert {"gate", "gate-missing", "override-field"} <= ids(page)
    body = {"to": "deployment", "reason": "짧음", "override": True}
    assert browser.api("POST", url + "/moves", body).status_code == 422
    assert browser.api("POST", url + "/moves", {"to": "deployment"}).status_code == 409
    body["reason"] = REASON
    moved = browser.api("POST", url + "/moves", body).json()
    assert moved["gate_override"]["reason"] == REASON and moved["stage"] == "deployment"
    assert "gate-override" in ids(browser.get(f"/engagements/{c.engagement.id}").text)
    browser.login(c.manufacturer)
    assert browser.api("GET", url).json()["gate_override"]["reason"] == REASON


def test_the_dashboard_csv_counts_the_override_apart(browser, session) -> None:
    short = cast(session)
    kpi = _inspection(short)
    advance(session, short, Stage.demonstration)
    _demonstrate(session, short, kpi, 10.0)
    move_stage(
        session, short.coordinator, short.engagement.id, Stage.deployment, None, REASON, True
    )
    session.commit()
    browser.login(short.coordinator)
    csv = browser.get("/coordinator/dashboard.csv?table=summary").content.decode("utf-8-sig")
    lines = dict(line.rsplit(",", 1) for line in csv.strip().splitlines()[1:])
    assert lines["AI 도입 제조기업 (실증 목표 달성)"].strip() == "0"
    assert lines["목표 미달 승인 (AI 도입 기업에 미포함)"].strip() == "1"
