"""The track is decided when a manufacturer publishes a need, from its readiness profile."""

import pytest

from app.config import get_settings
from app.models import ManufacturerProfile, Need, NeedStatus, Role
from app.needs import service as needs
from app.readiness import service
from app.readiness.schemas import TrackIn
from tests.builders import make_manufacturer, make_need, make_staff
from tests.readiness.helpers import Landmarks, draft, high_readiness, low_readiness, need_actions


def profile(sf_level: str, data: str, **rest: object) -> ManufacturerProfile:
    values = {"systems": [], "readiness_staff": "none", "readiness_budget": "none", **rest}
    return ManufacturerProfile(sf_level=sf_level, readiness_data=data, **values)


@pytest.mark.parametrize(
    ("sf_level", "data", "track", "reason"),
    [
        ("advanced", "systematic", "ai", None),
        ("intermediate1", "partial", "ai", None),
        ("basic", "partial", "readiness", "sf_level:basic:intermediate1 score:18"),
        ("intermediate2", "none", "readiness", "data:none:partial score:19"),
        ("none", "none", "readiness", "sf_level:none:intermediate1 data:none:partial score:0"),
        ("odd-code", "partial", "readiness", "sf_level:odd-code:intermediate1 score:12"),
    ],
)
def test_decide_from_the_thresholds(sf_level, data, track, reason) -> None:
    assert service.decide(profile(sf_level, data), get_settings()) == (track, reason)


def test_thresholds_are_configurable() -> None:
    lenient = get_settings().model_copy(
        update={"readiness_min_sf_level": "none", "readiness_min_data": "none"}
    )
    assert service.decide(profile("none", "none"), lenient) == ("ai", None)
    strict = get_settings().model_copy(update={"readiness_min_sf_level": "advanced"})
    assert service.decide(profile("intermediate2", "systematic"), strict)[0] == "readiness"
    assert service.decide(None, strict) == ("ai", None)


def test_existing_needs_keep_the_ai_track(session) -> None:
    need = make_need(session, low_readiness(session))
    assert (need.track, need.track_reason, need.track_overridden_by_id) == ("ai", None, None)


def test_low_readiness_publish_goes_to_the_readiness_path_with_the_reason(browser, session):
    owner = low_readiness(session)
    need = draft(session, owner)
    url = f"/api/needs/{need.id}/publish"
    response = browser.login(owner).api("POST", url, {"version": need.version})
    assert response.status_code == 200
    body = response.json()
    assert body["track"] == "readiness"
    assert body["track_reason"] == "sf_level:basic:intermediate1 data:none:partial score:6"
    published = need_actions(session, need.id)[-1]
    assert published.action == "need.published"
    assert published.after["track"] == "readiness"
    track = browser.api("GET", f"/api/needs/{need.id}/track").json()
    assert track["required_offers"] == ["data_platform", "mes"]
    assert track["explanation"][0].startswith("귀사 공장은 AI에 앞서 데이터 수집")
    assert "스마트공장 수준 기초" in track["explanation"][1]


def test_the_manufacturer_reads_why_on_its_need_page_in_its_language(browser, session) -> None:
    owner = low_readiness(session)
    owner.locale = "en"
    need = draft(session, owner)
    needs.publish_need(session, owner, need.id)
    page = Landmarks(browser.login(owner).get(f"/needs/{need.id}").text)
    assert "need-track" in page.ids and "override-track" not in page.ids
    assert page.reasons[0].startswith("Your factory first needs data collection, MES")
    assert page.reasons[1] == "Smart-factory level Basic; AI projects start from Intermediate 1."
    assert page.reasons[2].startswith("Production data: Not collected;")
    assert page.reasons[3] == "Readiness score 6 / 100."


def test_high_readiness_publish_stays_on_the_ai_track(browser, session) -> None:
    owner = high_readiness(session)
    need = draft(session, owner)
    browser.login(owner).post(f"/needs/{need.id}/publish", {"version": str(need.version)})
    session.refresh(need)
    assert need.status is NeedStatus.open and (need.track, need.track_reason) == ("ai", None)
    assert "need-track" not in Landmarks(browser.get(f"/needs/{need.id}").text).ids


def test_coordinators_see_the_track_and_the_override_link(browser, session) -> None:
    owner = low_readiness(session)
    need = draft(session, owner)
    needs.publish_need(session, owner, need.id)
    page = Landmarks(browser.login(make_staff(session)).get(f"/needs/{need.id}").text)
    assert {"need-track", "override-track"} <= page.ids
    assert page.reasons[0].startswith("이 공장은 AI에 앞서")


def test_an_override_made_before_publishing_stands(session) -> None:
    owner = low_readiness(session)
    need = draft(session, owner)
    staff = make_staff(session)
    data = TrackIn(track="ai", reason="이미 MES 데이터가 있음", version=need.version)
    service.override(session, staff, need.id, data)
    needs.publish_need(session, owner, need.id)
    assert (need.track, need.track_reason) == ("ai", "이미 MES 데이터가 있음")


def test_a_manufacturer_without_a_profile_stays_on_the_ai_track(session) -> None:
    owner = make_manufacturer(session)
    session.delete(owner.organization.manufacturer)
    session.flush()
    need = session.get(Need, draft(session, owner).id)
    service.route(session, need)
    assert need.track == "ai" and owner.role is Role.manufacturer
