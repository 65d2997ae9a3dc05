import pytest
from sqlalchemy import select

from app.models import CaseStudy, Membership, Role, SupplierProfile
from tests.builders import make_case_study, make_manufacturer, make_staff, make_supplier
from tests.profiles.helpers import audits, manufacturer_body, supplier_body


def test_get_own_supplier_profile(browser, session) -> None:
    supplier = make_supplier(session, membership_reason="서류 확인")
    make_case_study(session, supplier)
    browser.login(supplier)
    body = browser.api("GET", "/api/profile").json()
    assert body["kind"] == "supplier" and body["membership"] == "admitted"
    assert body["membership_reason"] == "서류 확인" and body["in_province"] is True
    assert body["version"] == 1 and body["case_studies"][0]["process"] == "press"


def test_get_own_manufacturer_profile_with_readiness(browser, session) -> None:
    browser.login(make_manufacturer(session, systems=["mes"], readiness_budget="partial"))
    body = browser.api("GET", "/api/profile").json()
    assert body["kind"] == "manufacturer"
    assert body["readiness"]["score"] == 6 + 5 + 8
    assert {p["key"]: p["max_points"] for p in body["readiness"]["parts"]}["data"] == 25


def test_put_supplier_profile_updates_and_audits(browser, session) -> None:
    supplier = make_supplier(session)
    browser.login(supplier)
    response = browser.api("PUT", "/api/profile", supplier_body(1))
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2 and body["name"] == "창원비전AI"
    assert body["certifications"] == ["ISO 9001", "기업부설연구소"]
    entry = audits(session, "profile.updated")[-1]
    assert entry.after["name"] == "창원비전AI" and entry.before["name"] == "테스트AI"


def test_put_manufacturer_profile(browser, session) -> None:
    browser.login(make_manufacturer(session))
    response = browser.api("PUT", "/api/profile", manufacturer_body(1))
    assert response.status_code == 200
    assert response.json()["readiness"]["score"] == 59


def test_stale_version_is_409_and_writes_nothing(browser, session) -> None:
    supplier = make_supplier(session)
    browser.login(supplier)
    assert browser.api("PUT", "/api/profile", supplier_body(1)).status_code == 200
    stale = browser.api("PUT", "/api/profile", supplier_body(1, name="덮어쓰기"))
    assert stale.status_code == 409 and stale.json()["error"] == "conflict"
    session.expire_all()
    assert supplier.organization.name == "창원비전AI"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"capacity": "4"}, "capacity"),  # wrong JSON type, not coerced
        ({"capacity": 51}, "capacity"),
        ({"price_min": 5000, "price_max": 10}, "price_max"),
        ({"description_ko": "", "description_en": ""}, "description_en"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"specialties": ["machine_vision", "nope"]}, "specialties"),
        ({"certifications": ["x"] * 21}, "certifications"),
        ({"membership": "admitted"}, "membership"),
        ({"founded_year": 2999}, "founded_year"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_invalid_supplier_bodies_are_422_and_write_nothing(browser, session, change, field) -> None:
    supplier = make_supplier(session)
    browser.login(supplier)
    response = browser.api("PUT", "/api/profile", supplier_body(1, **change))
    assert response.status_code == 422
    assert field in {str(part) for e in response.json()["detail"] for part in e["loc"]}
    assert audits(session, "profile.updated") == []
    profile = session.scalar(select(SupplierProfile))
    assert profile.version == 1 and profile.capacity == 3


def test_body_kind_must_match_the_organisation(browser, session) -> None:
    browser.login(make_supplier(session))
    response = browser.api("PUT", "/api/profile", manufacturer_body(1))
    assert response.status_code == 422 and response.json()["error"] == "invalid"


def test_case_study_api_lifecycle(browser, session) -> None:
    browser.login(make_supplier(session))
    body = {"title": "예지보전 사례", "text": "진동 센서 기반 예지보전", "year": 2022}
    created = browser.api("POST", "/api/profile/case-studies", body)
    assert created.status_code == 201
    case_id = created.json()["id"]
    updated = browser.api(
        "PUT", f"/api/profile/case-studies/{case_id}", {**body, "outcome": "설비 정지 30% 감소"}
    )
    assert updated.status_code == 200 and updated.json()["outcome"] == "설비 정지 30% 감소"
    assert browser.api("DELETE", f"/api/profile/case-studies/{case_id}").status_code == 204
    assert browser.api("DELETE", f"/api/profile/case-studies/{case_id}").status_code == 404
    actions = ["case_study.created", "case_study.updated", "case_study.deleted"]
    assert all(len(audits(session, action)) == 1 for action in actions)


def test_case_study_validation_and_ownership(browser, session) -> None:
    owner = make_supplier(session)
    study = make_case_study(session, owner)
    browser.login(make_supplier(session, name="남의회사"))
    bad = browser.api("POST", "/api/profile/case-studies", {"title": "x", "text": ""})
    assert bad.status_code == 422
    body = {"title": "가로채기", "text": "남의 사례"}
    assert browser.api("PUT", f"/api/profile/case-studies/{study.id}", body).status_code == 404
    assert browser.api("DELETE", f"/api/profile/case-studies/{study.id}").status_code == 404
    assert session.scalar(select(CaseStudy.title).where(CaseStudy.id == study.id)) == study.title


def test_directory_api_filters_pages_and_bounds(browser, session) -> None:
    for i in range(5):
        make_supplier(session, name=f"비전{i}", processes=["press"])
    make_supplier(session, name="용접전문", processes=["welding"])
    make_supplier(session, name="신청", membership=Membership.applied, processes=["press"])
    browser.login(make_manufacturer(session))
    body = browser.api("GET", "/api/suppliers?process=press&per_page=2&page=3").json()
    assert body["total"] == 5 and body["pages"] == 3 and len(body["items"]) == 1
    assert browser.api("GET", "/api/suppliers?membership=applied").json()["total"] == 6
    assert browser.api("GET", "/api/suppliers?per_page=101").status_code == 422
    assert browser.api("GET", "/api/suppliers?process=flying").status_code == 422
    assert browser.api("GET", "/api/suppliers?sort=evil").status_code == 422


def test_coordinator_directory_includes_applied(browser, session) -> None:
    make_supplier(session, membership=Membership.applied)
    browser.login(make_staff(session, Role.coordinator))
    body = browser.api("GET", "/api/suppliers?membership=applied").json()
    assert body["total"] == 1 and body["items"][0]["membership"] == "applied"


def test_supplier_detail_api_hides_private_parts(browser, session) -> None:
    admitted = make_supplier(session, membership_reason="내부 메모")
    applied = make_supplier(session, name="신청", membership=Membership.applied)
    browser.login(make_manufacturer(session))
    body = browser.api("GET", f"/api/suppliers/{admitted.organization_id}").json()
    assert body["name"] == "테스트AI" and body["membership_reason"] is None
    assert browser.api("GET", f"/api/suppliers/{applied.organization_id}").status_code == 404


def test_manufacturer_detail_api(browser, session) -> None:
    owner = make_manufacturer(session)
    browser.login(make_manufacturer(session, name="남의회사"))
    assert browser.api("GET", f"/api/manufacturers/{owner.organization_id}").status_code == 404
    browser.login(make_staff(session))
    response = browser.api("GET", f"/api/manufacturers/{owner.organization_id}")
    assert response.status_code == 200 and response.json()["readiness"]["score"] == 6


@pytest.mark.parametrize(
    ("who", "method", "url", "status"),
    [
        ("coordinator", "GET", "/api/profile", 403),
        ("admin", "PUT", "/api/profile", 403),
        ("supplier", "GET", "/api/suppliers", 403),
        ("manufacturer", "POST", "/api/profile/case-studies", 403),
        ("manufacturer", "DELETE", "/api/profile/case-studies/1", 403),
        (None, "GET", "/api/profile", 401),
        (None, "GET", "/api/suppliers/1", 401),
        ("manufacturer", "GET", "/api/suppliers/99999999999", 422),
    ],
)
def test_api_access_matrix(browser, session, who, method, url, status) -> None:
    users = {
        "coordinator": lambda: make_staff(session, Role.coordinator),
        "admin": lambda: make_staff(session, Role.admin),
        "supplier": lambda: make_supplier(session),
        "manufacturer": lambda: make_manufacturer(session),
    }
    if who:
        browser.login(users[who]())
    assert browser.api(method, url, {"title": "x"}).status_code == status


def test_openapi_documents_the_profile_operations(client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"get", "put"} <= set(paths["/api/profile"])
    assert "/api/suppliers/{org_id}" in paths and "/api/manufacturers/{org_id}" in paths


def test_nul_characters_are_rejected_before_the_database(browser, session) -> None:
    """PostgreSQL cannot store NUL in text: a 422, not a server error, on both backends."""
    browser.login(make_manufacturer(session))
    assert browser.api("GET", "/api/suppliers?q=%00abc").status_code == 422
    browser.login(make_supplier(session))
    body = supplier_body(1, description_ko="a\x00b", certifications=["ok", "x\x00"])
    response = browser.api("PUT", "/api/profile", body)
    assert response.status_code == 422
    fields = {part for e in response.json()["detail"] for part in e["loc"]}  # list: the item
    assert {"description_ko", "certifications"} <= fields
    case = {"title": "제목\x00", "text": "본문"}
    assert browser.api("POST", "/api/profile/case-studies", case).status_code == 422


def test_the_business_number_is_edited_with_the_profile_checked_and_unique(browser, session):
    other = make_manufacturer(session, name="다른공장")
    other.organization.business_number = "1248100998"
    user = make_manufacturer(session)
    browser.login(user)
    bad = browser.api("PUT", "/api/profile", manufacturer_body(1, business_number="124-81-00999"))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "business_number"
    taken = browser.api("PUT", "/api/profile", manufacturer_body(1, business_number="1248100998"))
    assert taken.status_code == 409
    done = browser.api("PUT", "/api/profile", manufacturer_body(1, business_number="220-81-62517"))
    assert done.status_code == 200 and done.json()["business_number"] == "2208162517"
    kept = browser.api("PUT", "/api/profile", manufacturer_body(2, name="새이름정밀"))
    assert kept.json()["business_number"] == "2208162517"  # not given: kept
    form = browser.get("/profile/edit")
    assert 'id="f-business_number"' in form.text and 'value="220-81-62517"' in form.text
