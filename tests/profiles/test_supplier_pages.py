import pytest
from sqlalchemy import select

from app.models import CaseStudy, Membership, Role, SupplierProfile
from tests.builders import make_case_study, make_manufacturer, make_staff, make_supplier
from tests.profiles.helpers import Landmarks, audits, supplier_form


def profile_of(session, user) -> SupplierProfile:
    session.expire_all()
    query = select(SupplierProfile).where(SupplierProfile.organization_id == user.organization_id)
    return session.scalar(query)


@pytest.mark.parametrize(("locale", "heading"), [("ko", "구축 사례"), ("en", "Case studies")])
def test_own_profile_page_in_both_languages(browser, session, locale, heading) -> None:
    supplier = make_supplier(session, membership=Membership.applied)
    supplier.locale = locale
    study = make_case_study(session, supplier)
    browser.login(supplier)
    response = browser.get("/profile")
    assert response.status_code == 200
    page = Landmarks(response.text)
    assert page.lang == locale
    assert {
        "profile-name",
        "membership-badge",
        "edit-profile",
        f"case-study-{study.id}",
    } <= page.ids
    assert heading in response.text and study.title in response.text


def test_membership_status_and_reason_are_shown_but_not_editable(browser, session) -> None:
    supplier = make_supplier(
        session, membership=Membership.suspended, membership_reason="납기 지연 조사 중"
    )
    browser.login(supplier)
    page = browser.get("/profile")
    assert "membership-reason" in Landmarks(page.text).ids and "납기 지연 조사 중" in page.text
    response = browser.post("/profile/edit", supplier_form(membership="admitted"))
    assert response.status_code == 422
    assert profile_of(session, supplier).membership is Membership.suspended


def test_edit_form_is_prefilled(browser, session) -> None:
    supplier = make_supplier(session, specialties=["machine_vision", "mes"])
    browser.login(supplier)
    response = browser.get("/profile/edit")
    assert response.status_code == 200
    page = Landmarks(response.text)
    assert page.checked["specialties"] == {"machine_vision", "mes"}
    assert {"profile-form", "specialties", "f-capacity", "f-certifications"} <= page.ids


def test_saving_the_profile_writes_fields_and_an_audit_entry(browser, session) -> None:
    supplier = make_supplier(session)
    browser.login(supplier)
    response = browser.post("/profile/edit", supplier_form())
    assert response.status_code == 303 and response.headers["location"] == "/profile?saved=1"
    profile = profile_of(session, supplier)
    assert profile.organization.name == "창원비전AI"
    assert profile.certifications == ["ISO 9001", "기업부설연구소"]
    assert profile.processes == ["press", "welding"] and profile.capacity == 4
    assert profile.price_min == 3000 and profile.min_sf_level == "basic" and profile.version == 2
    entry = audits(session, "profile.updated")[-1]
    assert entry.actor_id == supplier.id and entry.organization_id == supplier.organization_id
    assert entry.before["capacity"] == 3 and entry.after["capacity"] == 4
    assert "description_en" not in entry.after  # unchanged fields are not logged
    assert "saved" in Landmarks(browser.get("/profile?saved=1").text).ids


def test_saving_without_changes_writes_no_audit(browser, session) -> None:
    supplier = make_supplier(session)
    browser.login(supplier)
    assert browser.post("/profile/edit", supplier_form()).status_code == 303
    assert browser.post("/profile/edit", supplier_form(version="2")).status_code == 303
    assert len(audits(session, "profile.updated")) == 1


def test_invalid_profile_shows_field_errors_keeps_input_and_writes_nothing(
    browser, session
) -> None:
    supplier = make_supplier(session)
    browser.login(supplier)
    form = supplier_form(
        name="바뀐이름",
        description_ko="",
        website="ftp://files.example.kr",
        price_min="9000",
        price_max="100",
        capacity="51",
        certifications="\n".join(f"cert {i}" for i in range(21)),
        specialties=["robot", "no-such-field"],
    )
    response = browser.post("/profile/edit", form)
    assert response.status_code == 422
    page = Landmarks(response.text)
    expected = {
        "description_en-error",
        "website-error",
        "price_max-error",
        "capacity-error",
        "certifications-error",
        "specialties-error",
    }
    assert expected <= page.ids
    assert "바뀐이름" in response.text and "ftp://files.example.kr" in response.text
    assert page.checked["specialties"] == {"robot"}
    profile = profile_of(session, supplier)
    assert profile.organization.name == "테스트AI" and profile.version == 1
    assert audits(session, "profile.updated") == []


def test_english_validation_messages(browser, session) -> None:
    supplier = make_supplier(session)
    supplier.locale = "en"
    browser.login(supplier)
    response = browser.post("/profile/edit", supplier_form(description_ko="", website="x"))
    assert response.status_code == 422
    assert "Describe your company in Korean or English" in response.text
    assert "Enter a web address starting with http://" in response.text


def test_stale_version_is_a_conflict_and_writes_nothing(browser, session) -> None:
    supplier = make_supplier(session)
    browser.login(supplier)
    assert browser.post("/profile/edit", supplier_form()).status_code == 303
    stale = browser.post("/profile/edit", supplier_form(version="1", name="덮어쓰기"))
    assert stale.status_code == 409
    assert profile_of(session, supplier).organization.name == "창원비전AI"


def test_case_study_create_edit_delete_with_audit(browser, session) -> None:
    supplier = make_supplier(session)
    browser.login(supplier)
    assert "case-study-form" in Landmarks(browser.get("/profile/case-studies/new").text).ids
    form = {"title": "용접 비드 검사", "text": "용접 비드 외관을 비전으로 검사", "year": "2023"}
    assert browser.post("/profile/case-studies", form).status_code == 303
    study = session.scalar(select(CaseStudy).where(CaseStudy.title == "용접 비드 검사"))
    assert study.year == 2023 and study.outcome is None
    assert browser.get(f"/profile/case-studies/{study.id}/edit").status_code == 200
    changed = {**form, "outcome": "검사 시간 60% 단축", "process": "welding"}
    assert browser.post(f"/profile/case-studies/{study.id}/edit", changed).status_code == 303
    updated = audits(session, "case_study.updated")[-1]
    assert updated.after == {"outcome": "검사 시간 60% 단축", "process": "welding"}
    assert updated.organization_id == supplier.organization_id
    study_id = study.id
    assert browser.confirm(f"/profile/case-studies/{study_id}/delete").status_code == 303
    session.expire_all()
    assert session.get(CaseStudy, study_id) is None
    assert audits(session, "case_study.created") and audits(session, "case_study.deleted")


def test_invalid_case_study_is_422_and_writes_nothing(browser, session) -> None:
    browser.login(make_supplier(session))
    response = browser.post("/profile/case-studies", {"title": "", "text": "x", "year": "3000"})
    assert response.status_code == 422
    assert {"title-error", "year-error"} <= Landmarks(response.text).ids
    assert session.scalar(select(CaseStudy)) is None


def test_another_suppliers_case_study_is_not_found(browser, session) -> None:
    owner, other = make_supplier(session), make_supplier(session, name="다른AI")
    study = make_case_study(session, owner)
    browser.login(other)
    assert browser.get(f"/profile/case-studies/{study.id}/edit").status_code == 404
    form = {"title": "탈취", "text": "남의 사례"}
    assert browser.post(f"/profile/case-studies/{study.id}/edit", form).status_code == 404
    assert browser.post(f"/profile/case-studies/{study.id}/delete").status_code == 404
    session.expire_all()
    assert session.get(CaseStudy, study.id).title == study.title


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("manufacturer", "/profile/case-studies/new", 403),
        ("coordinator", "/profile", 403),
        ("admin", "/profile/edit", 403),
        ("anonymous", "/profile", 303),
    ],
)
def test_role_denials(browser, session, who, url, status) -> None:
    users = {
        "manufacturer": lambda: make_manufacturer(session),
        "coordinator": lambda: make_staff(session, Role.coordinator),
        "admin": lambda: make_staff(session, Role.admin),
    }
    if who in users:
        browser.login(users[who]())
    response = browser.get(url)
    assert response.status_code == status
    if status == 303:
        assert response.headers["location"].startswith("/login")
