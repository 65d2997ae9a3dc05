"""What a coordinator vets (issue 14 item 6): the applications queue and the organisation page
show registration, applicant, capabilities with their labels, certifications, case studies and
documents; the organisation page links to its history instead of printing audit diffs."""

import pytest

from app.coordinator.vetting import vetting
from app.models import Attachment, AttachmentOwner, Membership, Role
from tests.builders import (
    business_number,
    make_case_study,
    make_manufacturer,
    make_staff,
    make_supplier,
    parse,
)

NUMBER = business_number(123)


@pytest.fixture
def coordinator(session):  # type: ignore[no-untyped-def]
    return make_staff(session, Role.coordinator)


def applicant(session):  # type: ignore[no-untyped-def]
    user = make_supplier(
        session,
        name="신청AI",
        membership=Membership.applied,
        certifications=["ISO 9001", "벤처기업"],
        industries=["30"],
    )
    user.name = "김신청"
    user.organization.business_number = NUMBER
    make_case_study(session, user, title="프레스 찍힘 검사")
    profile = user.organization.supplier
    session.add(
        Attachment(
            owner_kind=AttachmentOwner.supplier_application,
            owner_id=profile.id,
            filename="사업자등록증.pdf",
            content_type="application/pdf",
            size=2048,
            sha256="0" * 64,
            organization_id=user.organization_id,
        )
    )
    session.flush()
    return user


def test_vetting_loads_what_a_coordinator_checks(session) -> None:
    user = applicant(session)
    v = vetting(session, [user.organization])[user.organization_id]
    assert v.business_number == f"{NUMBER[:3]}-{NUMBER[3:5]}-{NUMBER[5:]}"
    assert v.applicant is not None and v.applicant.name == "김신청"
    assert v.supplier is not None and [c.title for c in v.supplier.case_studies] == [
        "프레스 찍힘 검사"
    ]
    assert [f.filename for f in v.files] == ["사업자등록증.pdf"]


def test_the_queue_shows_what_is_vetted_in_korean(browser, session, coordinator) -> None:
    user = applicant(session)
    browser.login(coordinator)
    page = parse(browser.get("/coordinator/applications").text)
    card = page.texts[f"application-{user.organization_id}"]
    for shown in (
        f"{NUMBER[:3]}-{NUMBER[3:5]}-{NUMBER[5:]}",
        "김신청",
        "경남 창원시",
        "식별시스템/머신비전",  # the specialty's label, not its code
        "ISO 9001",
        "프레스 찍힘 검사",
        "사업자등록증.pdf",
    ):
        assert shown in card, shown
    assert "machine_vision" not in card and "사용자 1" not in card


def test_the_queue_in_english(browser, session, coordinator) -> None:
    user = applicant(session)
    coordinator.locale = "en"
    session.flush()
    browser.login(coordinator)
    card = parse(browser.get("/coordinator/applications").text).texts[
        f"application-{user.organization_id}"
    ]
    assert "Identification / machine vision" in card and "Changwon, Gyeongnam" in card
    assert "Applicant" in card and "References and case studies" in card


def test_the_organisation_page_shows_the_profile_not_audit_diffs(
    browser, session, coordinator
) -> None:
    user = applicant(session)
    maker = make_manufacturer(session, "창원정밀")
    browser.login(coordinator)
    html = browser.get(f"/coordinator/organizations/{user.organization_id}").text
    page = parse(html)
    assert "식별시스템/머신비전" in page.texts["org-profile"]
    assert "사업자등록증.pdf" in page.texts["org-profile"]
    assert "김신청" in page.texts["org-facts"]
    assert f"/coordinator/audit?organization_id={user.organization_id}" in page.hrefs
    assert "audit-table" not in html
    other = parse(browser.get(f"/coordinator/organizations/{maker.organization_id}").text)
    assert "org-profile" in other.texts and "스마트공장 수준" in other.texts["org-profile"]
