from datetime import timedelta

import pytest

from app.engagements import outcomes
from app.engagements.stages import move_stage
from app.errors import Conflict, Forbidden, NotFound
from app.models import IndexChange, ResultPhase, Stage
from app.track_record.service import TRACK_LIMIT, track_record_lines, track_records
from tests.engagements.helpers import actions, advance, cast, ids

DEMO = ResultPhase.demonstration


def staged(session, stage=Stage.demonstration):
    """A cast whose engagement has reached `stage`, so its results can be recorded."""
    c = cast(session)
    advance(session, c, stage)
    return c


def _record(session, c, user=None, value=0.8, phase=DEMO):
    kpi = c.engagement.kpis[0]
    return outcomes.record_result(
        session, user or c.supplier, c.engagement.id, kpi.id, phase, value, "라인 측정"
    )


def test_recording_again_before_verification_replaces(session) -> None:
    c = staged(session)
    first = _record(session, c, value=1.5)
    second = _record(session, c, c.manufacturer, value=0.9)
    assert first.id == second.id and second.value == 0.9
    assert second.recorded_by_id == c.manufacturer.id
    assert actions(session, c.engagement).count("engagement.result_recorded") == 2


def test_a_verified_result_cannot_change_and_is_verified_once(session) -> None:
    c = staged(session)
    result = _record(session, c)
    outcomes.verify_result(session, c.coordinator, c.engagement.id, result.id)
    with pytest.raises(Conflict):
        _record(session, c, value=0.1)
    with pytest.raises(Conflict):
        outcomes.verify_result(session, c.admin, c.engagement.id, result.id)
    with pytest.raises(Conflict):
        outcomes.reject_result(session, c.admin, c.engagement.id, result.id, "늦음")


def test_who_records_and_who_verifies(session) -> None:
    c = staged(session)
    with pytest.raises(Forbidden):
        _record(session, c, c.coordinator)
    with pytest.raises(NotFound):
        _record(session, c, c.stranger)
    result = _record(session, c)
    with pytest.raises(Forbidden):
        outcomes.verify_result(session, c.supplier, c.engagement.id, result.id)
    with pytest.raises(NotFound):
        outcomes.verify_result(session, c.coordinator, c.engagement.id, 2_000_000)


def test_only_verified_results_count(session) -> None:
    c = staged(session)
    org = c.supplier.organization_id
    result = _record(session, c, value=0.8)
    assert track_record_lines(session, org) == [] and org not in track_records(session, [org])
    outcomes.reject_result(session, c.coordinator, c.engagement.id, result.id, "근거 부족")
    assert result.rejected_reason == "근거 부족" and track_record_lines(session, org) == []
    result = _record(session, c, value=0.8)
    assert result.rejected_reason is None
    session.commit()
    changes = session.query(IndexChange).count()
    outcomes.verify_result(session, c.coordinator, c.engagement.id, result.id)
    session.commit()  # the change log is written as the transaction commits
    assert session.query(IndexChange).count() > changes  # matching reloads the supplier
    (line,) = track_record_lines(session, org)
    assert (line.metric, line.baseline, line.value, line.met) == ("defect_rate", 3.0, 0.8, True)
    assert line.industry == "30"
    assert actions(session, c.engagement)[-1] == "engagement.result_verified"


def test_track_record_shows_on_the_supplier_profile(browser, session) -> None:
    c = staged(session)
    result = _record(session, c, value=0.8)
    browser.login(c.manufacturer)
    page = browser.get(f"/suppliers/{c.supplier.organization_id}")
    assert "no-track-record" in ids(page.text)
    outcomes.verify_result(session, c.coordinator, c.engagement.id, result.id)
    page = browser.get(f"/suppliers/{c.supplier.organization_id}")
    assert "track-record" in ids(page.text) and "no-track-record" not in ids(page.text)
    assert "0.8%" in page.text


def test_reviews_only_after_closing_once_per_side(session) -> None:
    c = cast(session)
    with pytest.raises(Conflict):
        outcomes.write_review(session, c.supplier, c.engagement.id, 5, "좋음")
    advance(session, c, Stage.closed)
    with pytest.raises(Forbidden):
        outcomes.write_review(session, c.coordinator, c.engagement.id, 5, "좋음")
    review = outcomes.write_review(session, c.supplier, c.engagement.id, 4, "협조적")
    assert review.subject_org_id == c.manufacturer.organization_id
    with pytest.raises(Conflict):
        outcomes.write_review(session, c.supplier, c.engagement.id, 5, "다시")
    assert actions(session, c.engagement)[-1] == "engagement.reviewed"


def test_reviews_are_hidden_until_both_wrote(session) -> None:
    c = cast(session)
    advance(session, c, Stage.closed)
    outcomes.write_review(session, c.supplier, c.engagement.id, 4, "협조적")
    assert len(outcomes.visible_reviews(session, c.supplier, c.engagement)) == 1  # its own
    assert outcomes.visible_reviews(session, c.manufacturer, c.engagement) == []
    assert outcomes.visible_reviews(session, c.coordinator, c.engagement) == []
    outcomes.write_review(session, c.manufacturer, c.engagement.id, 5, "우수")
    assert len(outcomes.visible_reviews(session, c.coordinator, c.engagement)) == 2


def rating_seen(browser, user, engagement_id) -> bool:
    """Whether `user` can read the rating in the engagement's timeline or in the audit log."""
    browser.login(user)
    body = browser.api("GET", f"/api/engagements/{engagement_id}").json()
    events = [e for e in body["timeline"] if e["action"] == "engagement.reviewed"]
    if user.role.value in ("coordinator", "admin"):
        audit = browser.api("GET", "/api/coordinator/audit?action=engagement.reviewed").json()
        events += audit["items"]
    return any("rating" in (e["after"] or {}) for e in events)


def test_the_rating_stays_hidden_in_the_timeline_until_reveal(browser, session) -> None:
    c = cast(session)
    advance(session, c, Stage.closed)
    outcomes.write_review(session, c.supplier, c.engagement.id, 3, "협조적")
    session.commit()
    assert rating_seen(browser, c.supplier, c.engagement.id)  # its author
    assert not rating_seen(browser, c.manufacturer, c.engagement.id)
    assert not rating_seen(browser, c.coordinator, c.engagement.id)
    outcomes.write_review(session, c.manufacturer, c.engagement.id, 5, "우수")
    session.commit()
    assert rating_seen(browser, c.manufacturer, c.engagement.id)
    assert rating_seen(browser, c.coordinator, c.engagement.id)


def test_reviews_show_fourteen_days_after_closing(session) -> None:
    c = cast(session)
    advance(session, c, Stage.closed)
    outcomes.write_review(session, c.supplier, c.engagement.id, 4, "협조적")
    reviews = outcomes.reviews_of(session, c.engagement)
    closed = c.engagement.closed_at
    assert not outcomes.reviews_public(c.engagement, reviews, closed + timedelta(days=13))
    assert outcomes.reviews_public(c.engagement, reviews, closed + timedelta(days=14))
    c.engagement.closed_at = closed - timedelta(days=15)
    assert len(outcomes.visible_reviews(session, c.manufacturer, c.engagement)) == 1


def test_track_record_in_the_supplier_api(browser, session) -> None:
    c = staged(session)
    org = c.supplier.organization_id
    result = _record(session, c, value=0.8)
    browser.login(c.manufacturer)
    assert browser.api("GET", f"/api/suppliers/{org}").json()["track_record"] == []
    outcomes.verify_result(session, c.coordinator, c.engagement.id, result.id)
    move_stage(session, c.coordinator, c.engagement.id, Stage.deployment, None)
    _record(session, c, value=0.5, phase=ResultPhase.deployment)  # recorded, not verified
    (line,) = browser.api("GET", f"/api/suppliers/{org}").json()["track_record"]
    assert (line["metric"], line["baseline"], line["value"], line["met"]) == (
        "defect_rate",
        3.0,
        0.8,
        True,
    )
    assert line["phase"] == "demonstration" and round(line["change"]) == -73
    browser.login(c.supplier)
    assert len(browser.api("GET", "/api/profile").json()["track_record"]) == 1


def test_track_record_schema_is_bounded(client) -> None:
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    field = schema["SupplierProfileOut"]["properties"]["track_record"]
    assert field["maxItems"] == TRACK_LIMIT


def test_a_phase_is_recorded_once_the_engagement_reached_it(session) -> None:
    c = cast(session)
    for phase in ResultPhase:
        with pytest.raises(Conflict, match="once the engagement has reached"):
            _record(session, c, phase=phase)
    advance(session, c, Stage.closed)
    follow_up = _record(session, c, value=0.7, phase=ResultPhase.follow_up)
    outcomes.verify_result(session, c.coordinator, c.engagement.id, follow_up.id)
    lines = track_record_lines(session, c.supplier.organization_id)
    assert [(line.phase, line.value) for line in lines] == [("follow_up", 0.7)]
