from datetime import date

import pytest
from sqlalchemy import select

from app.engagements import outcomes
from app.engagements.service import OPEN_STAGES
from app.engagements.stages import MOVES, move_stage
from app.errors import Conflict, Forbidden, Invalid
from app.models import IndexChange, ResultPhase, Stage
from app.track_record.service import track_records
from tests.engagements.helpers import (
    actions,
    advance,
    cast,
    english,
    meet_gate,
    verify_demonstration,
)

ALLOWED = sorted(MOVES, key=lambda m: (m[0].value, m[1].value))
REFUSED = [
    (source, target)
    for source in Stage
    for target in Stage
    if (source, target) not in MOVES and target is not Stage.consulting
]


def _at(session, c, stage: Stage) -> None:
    if stage is Stage.cancelled:
        move_stage(session, c.coordinator, c.engagement.id, Stage.cancelled, None, "중단")
    else:
        advance(session, c, stage)


def test_the_table_is_the_forward_path_plus_cancel_from_every_open_stage() -> None:
    forward = [(Stage.consulting, Stage.design), (Stage.design, Stage.demonstration)]
    forward += [(Stage.demonstration, Stage.deployment), (Stage.deployment, Stage.closed)]
    cancels = [(stage, Stage.cancelled) for stage in OPEN_STAGES]
    assert set(MOVES) == set(forward + cancels)


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=lambda s: s.value)
@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_staff_make_every_allowed_move(session, source, target, role) -> None:
    c = cast(session)
    _at(session, c, source)
    if target is not Stage.cancelled:
        meet_gate(session, c, target)
    moved = move_stage(session, getattr(c, role), c.engagement.id, target, None, "사유")
    assert moved.stage is target
    row = next((s for s in moved.stages if s.stage is source), None)
    assert row.signed_off_by_id == getattr(c, role).id and row.actual_end == row.actual_start
    assert actions(session, c.engagement)[-1] in ("engagement.moved", "engagement.cancelled")


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=lambda s: s.value)
@pytest.mark.parametrize("role", ["supplier", "manufacturer"])
def test_parties_may_not_move_stages(session, source, target, role) -> None:
    c = cast(session)
    _at(session, c, source)
    with pytest.raises(Forbidden):
        move_stage(session, getattr(c, role), c.engagement.id, target, None, "사유")
    assert c.engagement.stage is source


@pytest.mark.parametrize(("source", "target"), REFUSED, ids=lambda s: s.value)
def test_every_other_move_is_refused(session, source, target) -> None:
    c = cast(session)
    if source is not Stage.consulting:
        _at(session, c, source)
    with pytest.raises(Conflict):
        move_stage(session, c.coordinator, c.engagement.id, target, None, "사유")
    assert c.engagement.stage is source


def test_cancelling_needs_a_reason_and_frees_capacity(session) -> None:
    c = cast(session)
    with pytest.raises(Invalid):
        move_stage(session, c.coordinator, c.engagement.id, Stage.cancelled, None, None)
    session.commit()
    before = session.scalar(select(IndexChange.id).order_by(IndexChange.id.desc()))
    move_stage(session, c.coordinator, c.engagement.id, Stage.cancelled, None, "예산 중단")
    assert c.engagement.cancel_reason == "예산 중단" and c.engagement.closed_at is not None
    session.commit()  # the change log is written as the transaction commits
    after = session.scalar(select(IndexChange.id).order_by(IndexChange.id.desc()))
    assert after != before


def test_deployment_gate_needs_verified_demonstration_results(session) -> None:
    c = cast(session)
    advance(session, c, Stage.demonstration)
    with pytest.raises(Conflict) as refused:
        move_stage(session, c.coordinator, c.engagement.id, Stage.deployment, None)
    assert "No verified demonstration result yet: Defect rate." in english(refused.value)
    kpi = c.engagement.kpis[0]
    result = outcomes.record_result(
        session, c.supplier, c.engagement.id, kpi.id, ResultPhase.demonstration, 0.8, "측정"
    )
    with pytest.raises(Conflict):  # recorded is not enough: it must be verified
        move_stage(session, c.coordinator, c.engagement.id, Stage.deployment, None)
    outcomes.reject_result(session, c.coordinator, c.engagement.id, result.id, "근거 부족")
    with pytest.raises(Conflict):
        move_stage(session, c.coordinator, c.engagement.id, Stage.deployment, None)
    outcomes.verify_result(session, c.coordinator, c.engagement.id, result.id)
    move_stage(session, c.coordinator, c.engagement.id, Stage.deployment, None)
    assert c.engagement.stage is Stage.deployment


def test_non_acceptance_kpis_do_not_gate_but_one_acceptance_kpi_is_needed(session) -> None:
    from app.models import EngagementKpi

    c = cast(session)
    advance(session, c, Stage.demonstration)
    for kpi in c.engagement.kpis:
        kpi.acceptance = False
    with pytest.raises(Conflict) as refused:
        move_stage(session, c.coordinator, c.engagement.id, Stage.deployment, None)
    assert "no acceptance KPI" in english(refused.value)
    c.engagement.kpis[0].acceptance = True
    extra = EngagementKpi(metric="throughput", unit="개", baseline=10, target=20, acceptance=False)
    c.engagement.kpis.append(extra)
    session.flush()
    verify_demonstration(session, c)  # the extra KPI's 0.8 misses, but it does not gate
    move_stage(session, c.coordinator, c.engagement.id, Stage.deployment, None)
    assert c.engagement.stage is Stage.deployment


def test_a_stale_version_is_a_conflict(session) -> None:
    c = cast(session)
    meet_gate(session, c, Stage.design)
    version = c.engagement.version
    move_stage(session, c.coordinator, c.engagement.id, Stage.design, version)
    meet_gate(session, c, Stage.demonstration)
    with pytest.raises(Conflict):
        move_stage(session, c.admin, c.engagement.id, Stage.demonstration, version)


def test_moves_set_actual_dates_and_closing_counts_in_track_records(session) -> None:
    c = cast(session)
    advance(session, c, Stage.closed)
    rows = {row.stage: row for row in c.engagement.stages}
    assert all(isinstance(rows[s].actual_start, date) for s in OPEN_STAGES)
    assert all(rows[s].signed_off_at is not None for s in OPEN_STAGES)
    assert track_records(session, [c.supplier.organization_id])[c.supplier.organization_id] > 0


def test_consulting_starts_the_day_both_parties_confirm_the_agreement(session) -> None:
    from app.agreements.service import confirm
    from app.engagements.service import today
    from tests.builders import make_engagement

    c = cast(session)
    engagement = make_engagement(session, c.manufacturer, c.supplier, agreed=False)
    rows = {row.stage: row for row in engagement.stages}
    assert all(rows[s].actual_start is None for s in OPEN_STAGES)
    confirm(session, c.supplier, engagement.id, 1)
    assert rows[Stage.consulting].actual_start is None  # one side is not the agreement
    confirm(session, c.manufacturer, engagement.id, 1)
    assert rows[Stage.consulting].actual_start == today()
    assert all(rows[s].actual_start is None for s in OPEN_STAGES if s is not Stage.consulting)
