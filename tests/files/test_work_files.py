"""Deliverables on milestones (the supplier attaches; both parties and staff read) and
documents on supplier applications (the applicant and staff read; nobody else)."""

from sqlalchemy import select

from app.engagements import work
from app.models import AuditEntry, Membership, Role, Stage
from tests.builders import make_engagement, make_supplier
from tests.engagements.helpers import ids
from tests.files import samples
from tests.files.conftest import upload
from tests.files.test_pages import send


def milestone(session, market):
    engagement = make_engagement(session, market.owner, market.supplier)
    item = work.add_milestone(
        session, market.supplier, engagement.id, Stage.consulting, "현장 진단 보고서", "", None
    )
    session.commit()
    return engagement, item


def test_a_deliverable_opens_to_both_parties_and_the_coordinator(browser, session, market) -> None:
    engagement, item = milestone(session, market)
    url = f"/api/engagements/{engagement.id}/milestones/{item.id}/files"
    browser.login(market.owner)
    assert upload(browser, url, "보고서.pdf", samples.PDF).status_code == 403
    browser.login(market.supplier)
    sent = upload(browser, url, "진단 보고서.pdf", samples.PDF)
    assert sent.status_code == 201, sent.text
    file = sent.json()
    assert (file["owner"], file["owner_id"]) == ("milestone", item.id)
    for user in (market.supplier, market.owner, market.staff):
        browser.login(user)
        assert browser.client.get(file["download_url"]).content == samples.PDF
        assert [f["id"] for f in browser.client.get(url).json()] == [file["id"]]
    for user in (market.rival, market.other_owner):
        browser.login(user)
        assert browser.client.get(file["download_url"]).status_code == 404
        assert browser.client.get(url).status_code == 404


def test_an_accepted_milestone_takes_no_more_files(browser, session, market) -> None:
    engagement, item = milestone(session, market)
    work.deliver_milestone(session, market.supplier, engagement.id, item.id)
    work.accept_milestone(session, market.owner, engagement.id, item.id)
    session.commit()
    browser.login(market.supplier)
    url = f"/api/engagements/{engagement.id}/milestones/{item.id}/files"
    assert upload(browser, url, "늦은.pdf", samples.PDF).status_code == 409


def test_a_suspended_supplier_attaches_no_deliverable(browser, session, market) -> None:
    engagement, item = milestone(session, market)
    market.supplier.organization.supplier.membership = Membership.suspended
    session.commit()
    browser.login(market.supplier)
    url = f"/api/engagements/{engagement.id}/milestones/{item.id}/files"
    assert upload(browser, url, "a.pdf", samples.PDF).status_code == 409


def test_a_milestone_of_another_engagement_is_not_found(browser, session, market) -> None:
    engagement, _ = milestone(session, market)
    _, other = milestone(session, market)
    browser.login(market.supplier)
    url = f"/api/engagements/{engagement.id}/milestones/{other.id}/files"
    assert upload(browser, url, "a.pdf", samples.PDF).status_code == 404


def test_the_detail_page_lists_deliverables_under_their_milestone(browser, session, market) -> None:
    engagement, item = milestone(session, market)
    browser.login(market.supplier)
    url = f"/engagements/{engagement.id}/milestones/{item.id}/files"
    response = send(browser, url, "설계서.pdf", samples.PDF)
    assert response.status_code == 303
    assert response.headers["location"] == f"/engagements/{engagement.id}#milestone-{item.id}"
    refused = send(browser, url, "setup.pdf", samples.EXE)
    assert refused.status_code == 422 and "file-error" in ids(refused.text)
    browser.login(market.owner)
    page = browser.get(f"/engagements/{engagement.id}").text
    assert "설계서.pdf" in page and f"milestone-{item.id}" in ids(page)
    assert send(browser, url, "a.pdf", samples.PDF).status_code == 403


def test_application_documents_open_only_to_the_applicant_and_staff(
    browser, session, market
) -> None:
    applicant = make_supplier(session, "신청공급사", membership=Membership.applied)
    session.commit()
    url = f"/api/suppliers/{applicant.organization_id}/application/files"
    browser.login(applicant)
    sent = upload(browser, url, "사업자등록증.pdf", samples.PDF)
    assert sent.status_code == 201, sent.text
    file = sent.json()
    assert file["owner"] == "supplier_application"
    for user in (applicant, market.staff):
        browser.login(user)
        assert browser.client.get(file["download_url"]).content == samples.PDF
        assert [f["id"] for f in browser.client.get(url).json()] == [file["id"]]
    for user in (market.supplier, market.owner, market.other_owner):
        browser.login(user)
        assert browser.client.get(file["download_url"]).status_code == 404
        assert browser.client.get(url).status_code == 404
        # another supplier is not told the organisation exists; other roles are refused first
        refused = 404 if user.role is Role.supplier else 403
        assert upload(browser, url, "가짜.pdf", samples.PDF).status_code == refused
    browser.login(market.staff)
    assert upload(browser, url, "대신.pdf", samples.PDF).status_code == 403


def test_application_documents_on_the_profile_and_the_membership_page(
    browser, session, market
) -> None:
    applicant = make_supplier(session, "신청공급사", membership=Membership.applied)
    session.commit()
    browser.login(applicant)
    assert "application-files" in ids(browser.get("/profile").text)
    response = send(browser, "/profile/application/files", "ISO 9001 인증서.pdf", samples.PDF)
    assert response.status_code == 303
    assert response.headers["location"] == "/profile#application-files"
    assert "ISO 9001 인증서.pdf" in browser.get("/profile").text
    refused = send(browser, "/profile/application/files", "x.pdf", samples.PNG)
    assert refused.status_code == 422 and "file-error" in ids(refused.text)
    browser.login(market.staff)
    org = applicant.organization_id
    for page in (f"/coordinator/suppliers/{org}/membership", f"/coordinator/organizations/{org}"):
        assert "ISO 9001 인증서.pdf" in browser.get(page).text
    browser.login(market.owner)
    shown = browser.get(f"/suppliers/{org}")
    assert "ISO 9001 인증서.pdf" not in shown.text and "application-files" not in ids(shown.text)


def test_the_applicant_removes_its_own_application_document(browser, session, market) -> None:
    """On the profile page (a remove button beside each document) and by DELETE in the API;
    nobody else can, and a removed document is gone for the coordinators too but audited."""
    applicant = make_supplier(session, "신청공급사", membership=Membership.applied)
    session.commit()
    url = f"/api/suppliers/{applicant.organization_id}/application/files"
    browser.login(applicant)
    first = upload(browser, url, "만료된 인증서.pdf", samples.PDF).json()
    second = upload(browser, url, "새 인증서.pdf", samples.PDF).json()
    for user in (market.staff, market.supplier, market.owner):
        browser.login(user)
        assert browser.api("DELETE", f"/api/files/{first['id']}").status_code == 404
    browser.login(applicant)
    profile = browser.get("/profile").text
    remove = f"/profile/application/files/{first['id']}/remove"
    assert f'action="{remove}"' in profile
    done = browser.post(remove, {})
    assert done.status_code == 303 and done.headers["location"] == "/profile#application-files"
    assert browser.api("DELETE", f"/api/files/{second['id']}").status_code == 204
    assert browser.client.get(url).json() == []
    browser.login(market.staff)
    page = browser.get(f"/coordinator/suppliers/{applicant.organization_id}/membership").text
    assert "만료된 인증서.pdf" not in page
    removed = select(AuditEntry.id).where(AuditEntry.action == "file.removed")
    assert len(list(session.scalars(removed))) == 2
