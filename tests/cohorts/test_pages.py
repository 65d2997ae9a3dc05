"""The coordinator's cohort pages: register, pick, paste, remove, invite, edit, delete."""

from sqlalchemy import select

from app.cohorts import service
from app.models import Cohort, OrgKind
from tests.builders import make_staff
from tests.cohorts.helpers import Page, make_cohort, make_sponsor, partner


def test_register_a_sponsor_and_cohort_with_an_invitation_link(browser, session) -> None:
    browser.login(make_staff(session))
    assert "cohort-form" in Page(browser.get("/coordinator/cohorts/new").text).ids
    refused = browser.post("/coordinator/cohorts/new", {"name": "이름만"})
    assert refused.status_code == 422
    form = {
        "sponsor_org_id": "",
        "sponsor_name": "경남터빈㈜",
        "sponsor_email": "k@t.example.kr",
        "name": "터빈 협력사",
        "description": "",
    }
    created = browser.post("/coordinator/cohorts/new", form)
    assert created.status_code == 201 and "invite-link" in Page(created.text).ids
    cohort = session.scalar(select(Cohort).where(Cohort.name == "터빈 협력사"))
    assert cohort.sponsor.kind is OrgKind.sponsor
    listing = Page(browser.get("/coordinator/cohorts").text)
    assert f"cohort-{cohort.id}" in listing.ids
    plain = browser.post(
        "/coordinator/cohorts/new", {"sponsor_org_id": str(cohort.sponsor_org_id), "name": "2차"}
    )
    assert plain.status_code == 303 and plain.headers["location"].startswith(
        "/coordinator/cohorts/"
    )


def test_pick_paste_and_remove_members(browser, session) -> None:
    a = partner(session, "㈜대광오토텍", "mfr-901")
    b = partner(session, "한결단조", "mfr-902")
    cohort = make_cohort(session, make_sponsor(session))
    url = f"/coordinator/cohorts/{cohort.id}"
    browser.login(make_staff(session))
    search = Page(browser.get(f"{url}?q=대광").text)
    assert "pick-form" in search.ids
    picked = browser.post(f"{url}/members", {"organization_ids": [str(a.organization_id)]})
    assert picked.status_code == 200 and f"member-{a.organization_id}" in Page(picked.text).ids
    assert "no-candidates" in Page(browser.get(f"{url}?q=대광").text).ids
    pasted = browser.post(f"{url}/members", {"lines": "한결 단조\n없는회사\n\nmfr-901"})
    report = Page(pasted.text, list_id="report-unknown")
    assert report.items == ["없는회사"] and f"member-{b.organization_id}" in report.ids
    assert service.member_org_ids(session, cohort.id) == {a.organization_id, b.organization_id}
    nothing = browser.post(f"{url}/members/remove", {})
    assert nothing.status_code == 422
    removed = browser.post(f"{url}/members/remove", {"organization_ids": str(a.organization_id)})
    assert removed.status_code == 303
    assert service.member_org_ids(session, cohort.id) == {b.organization_id}


def test_edit_invite_and_delete(browser, session) -> None:
    cohort = make_cohort(session, make_sponsor(session))
    url = f"/coordinator/cohorts/{cohort.id}"
    browser.login(make_staff(session))
    version = str(cohort.version)
    edit = {"name": "새 이름", "description": "", "version": version}
    assert browser.post(url, edit).status_code == 303
    stale = browser.post(url, {"name": "또 바꿈", "version": version})
    assert stale.status_code == 409
    invited = browser.post(f"{url}/invitations", {"email": "lee@t.example.kr"})
    assert invited.status_code == 201 and "invite-link" in Page(invited.text).ids
    taken = browser.post(f"{url}/invitations", {"email": "lee@t.example.kr"})
    assert taken.status_code == 201  # a second link for a pending invitation is fine
    session.refresh(cohort)
    gone = browser.confirm(f"{url}/delete", {"version": str(cohort.version)})
    assert gone.status_code == 303
    assert session.scalar(select(Cohort.id).where(Cohort.id == cohort.id)) is None


def test_the_members_list_is_paged_in_name_order(browser, session, monkeypatch) -> None:
    from app.cohorts import pages

    monkeypatch.setattr(pages, "MEMBERS_SHOWN", 2)
    names = ["㈜다온정밀", "가람기계", "나래단조"]  # ㈜ aside: 가람, 나래, 다온
    members = {name: partner(session, name) for name in names}
    cohort = make_cohort(session, make_sponsor(session), *members.values())
    url = f"/coordinator/cohorts/{cohort.id}"
    browser.login(make_staff(session))
    first, second = Page(browser.get(url).text), Page(browser.get(f"{url}?page=2").text)
    shown = [f"member-{members[n].organization_id}" for n in ("가람기계", "나래단조", "㈜다온정밀")]
    assert set(shown[:2]) <= first.ids and shown[2] not in first.ids
    assert shown[2] in second.ids and shown[0] not in second.ids
