"""Coordinators override a need's track: with a reason, audited, version-checked."""

from app.models import NeedStatus
from app.needs import service as needs
from tests.builders import make_manufacturer, make_staff, make_supplier
from tests.readiness.helpers import Landmarks, draft, low_readiness, need_actions


def routed(session):
    owner = low_readiness(session)
    need = draft(session, owner)
    needs.publish_need(session, owner, need.id)
    session.flush()
    return owner, need


def test_coordinator_overrides_through_the_api(browser, session) -> None:
    owner, need = routed(session)
    staff = make_staff(session)
    body = {"track": "ai", "reason": "MES 데이터를 이미 모으고 있음", "version": need.version}
    response = browser.login(staff).api("PUT", f"/api/needs/{need.id}/track", body)
    assert response.status_code == 200
    out = response.json()
    assert (out["track"], out["overridden"], out["required_offers"]) == ("ai", True, [])
    assert out["explanation"] == [
        "코디네이터가 이 경로를 지정했습니다: MES 데이터를 이미 모으고 있음"
    ]
    session.refresh(need)
    assert (need.track, need.track_overridden_by_id) == ("ai", staff.id)
    entry = need_actions(session, need.id)[-1]
    assert (entry.action, entry.actor_id, entry.reason) == (
        "need.track_overridden",
        staff.id,
        "MES 데이터를 이미 모으고 있음",
    )
    assert entry.before["track"] == "readiness" and entry.after["track"] == "ai"
    stale = browser.api("PUT", f"/api/needs/{need.id}/track", body)
    assert stale.status_code == 409


def test_manufacturers_and_suppliers_cannot_override(browser, session) -> None:
    owner, need = routed(session)
    body = {"track": "ai", "reason": "직접 바꾸고 싶음", "version": need.version}
    assert browser.login(owner).api("PUT", f"/api/needs/{need.id}/track", body).status_code == 403
    assert browser.get(f"/coordinator/needs/{need.id}/track").status_code == 403
    assert browser.api("GET", f"/api/needs/{need.id}/track").status_code == 200
    browser.login(make_supplier(session))
    assert browser.api("GET", f"/api/needs/{need.id}/track").status_code == 403
    browser.login(make_manufacturer(session, name="남의공장"))
    assert browser.api("GET", f"/api/needs/{need.id}/track").status_code == 404
    session.refresh(need)
    assert need.track == "readiness" and need.track_overridden_by_id is None


def test_override_page_then_the_manufacturer_reads_the_reason(browser, session) -> None:
    owner, need = routed(session)
    browser.login(make_staff(session))
    form = Landmarks(browser.get(f"/coordinator/needs/{need.id}/track").text)
    assert "track-form" in form.ids
    missing = browser.post(f"/coordinator/needs/{need.id}/track", {"track": "ai", "version": "2"})
    assert missing.status_code == 422 and "reason-error" in Landmarks(missing.text).ids
    data = {"track": "ai", "reason": "현장 확인 결과 데이터 충분", "version": str(need.version)}
    assert browser.post(f"/coordinator/needs/{need.id}/track", data).status_code == 303
    stale = browser.post(f"/coordinator/needs/{need.id}/track", data)
    assert stale.status_code == 409
    page = Landmarks(browser.login(owner).get(f"/needs/{need.id}").text)
    assert page.reasons == ["코디네이터가 이 경로를 지정했습니다: 현장 확인 결과 데이터 충분"]


def test_a_closed_need_keeps_its_track(browser, session) -> None:
    owner, need = routed(session)
    needs.close_need(session, owner, need.id, None)
    assert need.status is NeedStatus.closed
    body = {"track": "ai", "reason": "늦은 변경", "version": need.version}
    response = browser.login(make_staff(session)).api("PUT", f"/api/needs/{need.id}/track", body)
    assert response.status_code == 409
