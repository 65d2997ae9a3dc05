import pytest
from sqlalchemy import select

from app.models import ManufacturerProfile, Role
from tests.builders import make_manufacturer, make_staff, make_supplier, make_user
from tests.profiles.helpers import Landmarks, audits, manufacturer_form


def profile_of(session, user) -> ManufacturerProfile:
    session.expire_all()
    query = select(ManufacturerProfile).where(
        ManufacturerProfile.organization_id == user.organization_id
    )
    return session.scalar(query)


def score_on(html: str) -> str:
    return html.split('id="readiness-score">')[1].split("<")[0]


@pytest.mark.parametrize(("locale", "word"), [("ko", "AI 도입 준비도"), ("en", "Readiness score")])
def test_profile_shows_readiness_with_breakdown(browser, session, locale, word) -> None:
    user = make_manufacturer(
        session, systems=["mes", "plc"], readiness_data="partial", readiness_staff="some"
    )
    user.locale = locale
    browser.login(user)
    response = browser.get("/profile")
    assert response.status_code == 200
    page = Landmarks(response.text)
    parts = {"readiness-sf_level", "readiness-systems", "readiness-data", "readiness-staff"}
    assert parts | {"readiness-budget", "readiness-parts", "edit-profile"} <= page.ids
    assert page.lang == locale and word in response.text
    assert score_on(response.text) == "38"  # basic 6 + 2 systems 10 + partial 12 + some 10
    assert "6 / 25" in response.text


def test_edit_form_lists_gyeongnam_regions_first(browser, session) -> None:
    browser.login(make_manufacturer(session))
    html = browser.get("/profile/edit").text
    assert html.index('value="gn-changwon"') < html.index('value="seoul"')
    assert {"readiness_data", "readiness_staff", "readiness_budget"} <= Landmarks(html).ids


def test_saving_updates_profile_score_and_audit(browser, session) -> None:
    user = make_manufacturer(session)
    browser.login(user)
    response = browser.post("/profile/edit", manufacturer_form())
    assert response.status_code == 303
    profile = profile_of(session, user)
    assert profile.organization.name == "김해정밀" and profile.region == "gn-gimhae"
    assert profile.systems == ["mes", "plc"] and profile.readiness_budget == "secured"
    entry = audits(session, "profile.updated")[-1]
    assert entry.before["sf_level"] == "basic" and entry.after["sf_level"] == "intermediate1"
    assert score_on(browser.get("/profile").text) == "59"


def test_invalid_input_is_422_and_writes_nothing(browser, session) -> None:
    user = make_manufacturer(session)
    browser.login(user)
    form = manufacturer_form(
        name="바뀐회사", sf_level="legendary", employees="0", readiness_data="lots"
    )
    response = browser.post("/profile/edit", form)
    assert response.status_code == 422
    page = Landmarks(response.text)
    assert {"sf_level-error", "employees-error", "readiness_data-error"} <= page.ids
    assert "바뀐회사" in response.text
    assert profile_of(session, user).organization.name == "테스트정밀"
    assert audits(session, "profile.updated") == []


def test_stale_version_is_a_conflict(browser, session) -> None:
    user = make_manufacturer(session)
    browser.login(user)
    assert browser.post("/profile/edit", manufacturer_form()).status_code == 303
    assert browser.post("/profile/edit", manufacturer_form(employees="9")).status_code == 409
    assert profile_of(session, user).employees == 85


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("own", 200), ("colleague", 200), ("coordinator", 200), ("admin", 200)]
    + [("other_manufacturer", 404), ("supplier", 404)],
)
def test_manufacturer_detail_visibility(browser, session, viewer, status) -> None:
    owner = make_manufacturer(session)
    viewers = {
        "own": lambda: owner,
        "colleague": lambda: make_user(session, owner.organization, Role.manufacturer),
        "coordinator": lambda: make_staff(session, Role.coordinator),
        "admin": lambda: make_staff(session, Role.admin),
        "other_manufacturer": lambda: make_manufacturer(session, name="남의회사"),
        "supplier": lambda: make_supplier(session),
    }
    browser.login(viewers[viewer]())
    response = browser.get(f"/manufacturers/{owner.organization_id}")
    assert response.status_code == status
    if status == 200:
        assert "readiness" in Landmarks(response.text).ids
        assert "edit-profile" not in Landmarks(response.text).ids


def test_unknown_manufacturer_is_404(browser, session) -> None:
    browser.login(make_staff(session))
    assert browser.get("/manufacturers/999999").status_code == 404
