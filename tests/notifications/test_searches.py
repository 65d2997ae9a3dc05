"""Suppliers' saved searches: pages and API, ownership, and the notice when a newly
published need matches (by text, or by profile match score), filters and thresholds held."""

from sqlalchemy import select

from app.models import Embedding, Membership, NeedStatus, Role, SavedSearch
from app.notifications import searches
from app.notifications.kinds import describe
from app.notifications.schemas import SavedSearchIn
from tests.bids.conftest import future
from tests.builders import make_manufacturer, make_need, make_supplier, make_user
from tests.engagements.helpers import ids
from tests.notifications.conftest import notices, recipients

PRESS = "프레스 찍힘 불량 검사"


def save(session, user, name: str, query: str = "", level: str = "low", **filters) -> SavedSearch:
    data = SavedSearchIn(name=name, query=query, level=level, **filters)
    return searches.create_search(session, user, data)


def publish(browser, session, owner, **fields):
    need = make_need(session, owner, NeedStatus.draft, deadline_at=future(), **fields)
    session.commit()  # the need (and every profile) embedded, as after its own request
    browser.login(owner)
    response = browser.api("POST", f"/api/needs/{need.id}/publish", {})
    assert response.status_code == 200, response.text
    return need


def test_a_published_need_notifies_the_searches_it_matches(browser, session) -> None:
    owner = make_manufacturer(session)
    press, logistics, filtered = (
        make_supplier(session, n) for n in ("프레스AI", "물류AI", "진주AI")
    )
    save(session, press, "프레스 검사", PRESS)
    save(session, press, "검사 전반", "프레스 불량")  # two hits: one notice
    save(session, logistics, "물류", "물류 창고 재고 수요 예측")
    save(session, filtered, "진주 한정", PRESS, region="gn-jinju")
    need = publish(browser, session, owner)
    assert recipients(session, "need_matched") == {press.id}
    (notice,) = notices(session, press, "need_matched")
    assert notice.link == f"/needs/{need.id}"
    assert notice.params["search"] == "프레스 검사" and notice.params["level"] == "high"
    text = describe(notice.kind, notice.params, "ko")
    assert "프레스 검사" in text and need.title in text


def test_match_my_profile_uses_the_recommendation_score(browser, session) -> None:
    ready = make_manufacturer(
        session, "준비된공장", sf_level="intermediate1", readiness_data="partial"
    )
    keen, picky = make_supplier(session, "관심AI"), make_supplier(session, "까다로운AI")
    save(session, keen, "내 프로필", ai_technique="vision_inspection")
    save(session, picky, "아주 잘 맞는 것만", level="high")
    publish(browser, session, ready)
    (notice,) = notices(session, kind="need_matched")
    assert notice.user_id == keen.id and notice.params["level"] in ("low", "medium")
    # a manufacturer below the readiness threshold is routed to data/MES suppliers first:
    # an AI supplier's profile does not match that need, as on Recommended needs
    publish(browser, session, make_manufacturer(session, sf_level="basic"))
    assert len(notices(session, kind="need_matched")) == 1


def test_only_admitted_active_suppliers_are_told(browser, session) -> None:
    owner = make_manufacturer(session)
    suspended, left = make_supplier(session, "정지AI"), make_supplier(session, "퇴사AI")
    save(session, suspended, "프레스", PRESS)
    save(session, left, "프레스", PRESS)
    suspended.organization.supplier.membership = Membership.suspended
    left.is_active = False
    publish(browser, session, owner)
    assert notices(session, kind="need_matched") == []


def test_pages_create_list_and_delete(browser, session) -> None:
    supplier = make_supplier(session)
    browser.login(supplier)
    assert {"new-search", "no-searches"} <= ids(browser.get("/saved-searches").text)
    bad = browser.post("/saved-searches", {"name": "", "query": PRESS, "level": "9"})
    assert bad.status_code == 422 and {"name-error", "level-error"} <= ids(bad.text)
    form = {"name": "프레스", "query": PRESS, "region": "gn-changwon", "level": "high"}
    assert browser.post("/saved-searches", form).headers["location"] == "/saved-searches"
    search = session.scalar(select(SavedSearch))
    assert search.filters == {"region": "gn-changwon"} and search.min_level == "high"
    assert f"search-{search.id}" in ids(browser.get("/saved-searches").text)
    assert browser.confirm(f"/saved-searches/{search.id}/delete").status_code == 303
    assert session.scalar(select(SavedSearch)) is None
    assert session.scalar(select(Embedding).where(Embedding.owner_kind == "saved_search")) is None


def test_api_crud_and_ownership(browser, session) -> None:
    supplier = make_supplier(session)
    colleague = make_user(session, supplier.organization, Role.supplier)
    browser.login(supplier)
    old = browser.api("POST", "/api/saved-searches", {"name": "내 프로필", "threshold": 0.8})
    assert old.status_code == 422  # numeric thresholds are gone: a level is chosen
    created = browser.api("POST", "/api/saved-searches", {"name": "내 프로필"})
    assert created.status_code == 201 and created.json()["mode"] == "profile"
    assert created.json()["level"] == "low" and created.json()["level_label"] == "낮음"
    sid = created.json()["id"]
    body = {"name": "프레스", "query": PRESS, "industry": "30", "level": "low"}
    updated = browser.api("PUT", f"/api/saved-searches/{sid}", body).json()
    assert updated["mode"] == "text" and updated["filters"] == {"industry": "30"}
    assert [s["id"] for s in browser.api("GET", "/api/saved-searches").json()] == [sid]
    browser.login(colleague)  # same organisation, still not theirs
    assert browser.api("GET", f"/api/saved-searches/{sid}").status_code == 404
    assert browser.api("PUT", f"/api/saved-searches/{sid}", body).status_code == 404
    assert browser.api("DELETE", f"/api/saved-searches/{sid}").status_code == 404
    assert browser.api("GET", "/api/saved-searches").json() == []
    browser.login(supplier)
    assert browser.api("DELETE", f"/api/saved-searches/{sid}").status_code == 204
    assert browser.api("GET", f"/api/saved-searches/{sid}").status_code == 404


def test_limits_and_who_may_save(browser, session) -> None:
    supplier = make_supplier(session)
    applicant = make_supplier(session, "신청AI", membership=Membership.applied)
    browser.login(supplier)
    for n in range(searches.MAX_PER_USER):
        assert browser.api("POST", "/api/saved-searches", {"name": f"검색 {n}"}).status_code == 201
    assert browser.api("POST", "/api/saved-searches", {"name": "하나 더"}).status_code == 409
    browser.login(applicant)
    assert browser.api("POST", "/api/saved-searches", {"name": "검색"}).status_code == 403
    assert browser.get("/saved-searches").status_code == 403
    browser.login(make_manufacturer(session))
    assert browser.api("GET", "/api/saved-searches").status_code == 403


def test_a_preview_lists_open_needs_at_the_level_a_publish_alerts_at(browser, session) -> None:
    owner, supplier = make_manufacturer(session), make_supplier(session, "프레스AI")
    search = save(session, supplier, "프레스 검사", PRESS, level="high")
    need = make_need(session, owner, deadline_at=future())
    session.commit()
    browser.login(supplier)
    (row,) = browser.api("GET", f"/api/saved-searches/{search.id}/preview").json()
    assert row["need_id"] == need.id and row["level"] == "high"


def test_the_notice_names_the_fit_level_in_the_readers_language() -> None:
    params = {"title": "브래킷 외관 검사", "search": "프레스 검사", "score": 1.3, "level": "high"}
    assert "적합도 높음" in describe("need_matched", params, "ko")
    assert "fit: High" in describe("need_matched", params, "en")
    older = {"title": "브래킷 외관 검사", "search": "프레스 검사", "score": 0.61}
    assert "브래킷 외관 검사" in describe("need_matched", older, "ko")  # stored before levels
