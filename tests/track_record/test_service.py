"""The track record: verified results and public reviews count, nothing else does."""

from datetime import timedelta

import pytest

from app import models
from app.engagements import outcomes
from app.models import ResultPhase, Stage
from app.track_record.service import track_records
from tests.engagements.helpers import advance, cast


def closed(session):
    c = cast(session)
    advance(session, c, Stage.closed)
    return c


def test_a_review_counts_once_both_sides_wrote(session) -> None:
    c = closed(session)
    org = c.supplier.organization_id
    # one verified demonstration result that met its target: 1.0, damped by 1/3
    assert track_records(session, [org])[org] == pytest.approx(1 / 3)
    outcomes.write_review(session, c.manufacturer, c.engagement.id, 3, "보통")
    assert track_records(session, [org])[org] == pytest.approx(1 / 3)  # not public: no leak
    outcomes.write_review(session, c.supplier, c.engagement.id, 1, "비협조적")
    # the manufacturer's 3 of 5 (0.5) now counts; the supplier's review of it does not
    assert track_records(session, [org])[org] == pytest.approx((1 + 0.5) / 2 * 2 / 3)


def test_a_one_sided_review_counts_after_the_window(session) -> None:
    c = closed(session)
    org = c.supplier.organization_id
    outcomes.write_review(session, c.manufacturer, c.engagement.id, 3, "지연")
    assert track_records(session, [org])[org] == pytest.approx(1 / 3)
    c.engagement.closed_at -= models.REVIEW_WINDOW + timedelta(minutes=1)
    session.flush()
    assert track_records(session, [org])[org] == pytest.approx(0.5)


def test_each_kpi_counts_once_at_its_latest_verified_phase(session) -> None:
    c = cast(session)
    org = c.supplier.organization_id
    advance(session, c, Stage.deployment)
    kpi = c.engagement.kpis[0]
    result = outcomes.record_result(
        session, c.supplier, c.engagement.id, kpi.id, ResultPhase.deployment, 2.5, "측정"
    )
    outcomes.verify_result(session, c.coordinator, c.engagement.id, result.id)
    # demonstration met the target (0.8 <= 1.0), deployment did not (2.5): the latest counts
    assert track_records(session, [org])[org] == 0
