"""The cohort API: coordinators manage, a sponsor reads its own cohort's member names."""

from app.models import Role, User
from tests.builders import make_staff
from tests.cohorts.helpers import make_cohort, make_sponsor, partner


def test_coordinator_registers_fills_edits_and_deletes_a_cohort(browser, session) -> None:
    a = partner(session, "㈜대광오토텍", "mfr-901")
    b = partner(session, "한결단조", "mfr-902")
    browser.login(make_staff(session))
    body = {
        "sponsor_name": "경남터빈㈜",
        "name": "터빈 협력사",
        "sponsor_email": "kim@gn-turbine.example.kr",
    }
    created = browser.api("POST", "/api/cohorts", body)
    assert created.status_code == 201
    out = created.json()
    assert out["invitation_url"].startswith("http://testserver/invitations/")
    assert out["member_count"] == 0 and out["sponsor"]["name"] == "경남터빈㈜"
    url = f"/api/cohorts/{out['id']}"
    added = browser.api(
        "POST",
        f"{url}/members",
        {"organization_ids": [a.organization_id], "lines": ["mfr-902", "없는회사", ""]},
    ).json()
    assert [m["name"] for m in added["added"]] == ["㈜대광오토텍", "한결단조"]
    assert added["unknown"] == ["없는회사"] and added["ambiguous"] == []
    detail = browser.api("GET", url).json()
    assert detail["member_count"] == 2
    assert {m["external_id"] for m in detail["members"]} == {"mfr-901", "mfr-902"}
    removed = browser.api(
        "POST", f"{url}/members/remove", {"organization_ids": [b.organization_id]}
    )
    assert removed.json() == {"removed": 1}
    edit = {"name": "터빈 1차 협력사", "description": "", "version": detail["version"]}
    assert browser.api("PUT", url, edit).json()["name"] == "터빈 1차 협력사"
    assert browser.api("PUT", url, edit).status_code == 409
    invite = browser.api("POST", f"{url}/invitations", {"email": "lee@gn-turbine.example.kr"})
    assert invite.status_code == 201 and "/invitations/" in invite.json()["invitation_url"]
    assert browser.api("DELETE", f"{url}?version={detail['version']}").status_code == 409
    assert browser.api("DELETE", f"{url}?version={detail['version'] + 1}").status_code == 204
    assert browser.api("GET", url).status_code == 404


def test_bad_bodies_are_422(browser, session) -> None:
    browser.login(make_staff(session))
    both = {"sponsor_org_id": 1, "sponsor_name": "둘 다", "name": "잘못"}
    assert browser.api("POST", "/api/cohorts", both).status_code == 422
    cohort = make_cohort(session, make_sponsor(session))
    too_many = {"lines": ["x"] * 501}
    assert browser.api("POST", f"/api/cohorts/{cohort.id}/members", too_many).status_code == 422
    long_line = {"lines": ["가" * 201]}
    assert browser.api("POST", f"/api/cohorts/{cohort.id}/members", long_line).status_code == 422


def test_the_sponsor_reads_its_members_names_only(browser, session) -> None:
    sponsor = make_sponsor(session)
    own = make_cohort(session, sponsor, partner(session, "가공장", "mfr-1"))
    other = make_cohort(session, make_sponsor(session, "남의후원"), partner(session, "나공장"))
    browser.login(sponsor)
    assert [c["id"] for c in browser.api("GET", "/api/cohorts").json()] == [own.id]
    detail = browser.api("GET", f"/api/cohorts/{own.id}").json()
    assert detail["members"] == [
        {
            "name": "가공장",
            "organization_id": None,
            "external_id": None,
            "region": None,
            "industry": None,
        }
    ]
    assert browser.api("GET", f"/api/cohorts/{other.id}").status_code == 404
    writes = [
        ("POST", "/api/cohorts", {"sponsor_name": "자기등록", "name": "내 코호트"}),
        ("POST", f"/api/cohorts/{own.id}/members", {"lines": ["나공장"]}),
        ("PUT", f"/api/cohorts/{own.id}", {"name": "바꿈", "version": own.version}),
        ("DELETE", f"/api/cohorts/{own.id}?version={own.version}", None),
    ]
    assert [browser.api(m, u, b).status_code for m, u, b in writes] == [403] * 4


def test_invited_sponsor_user_joins_with_the_sponsor_role(browser, session) -> None:
    browser.login(make_staff(session))
    body = {"sponsor_name": "경남터빈㈜", "name": "터빈 협력사", "sponsor_email": "k@t.example.kr"}
    link = browser.api("POST", "/api/cohorts", body).json()["invitation_url"]
    browser.logout()
    path = link.removeprefix("http://testserver")
    joined = browser.post(path, {"name": "김터빈", "password": "turbine-pass-1"})
    assert joined.status_code == 303
    user = session.query(User).filter_by(email="k@t.example.kr").one()
    assert user.role is Role.sponsor and user.organization.name == "경남터빈㈜"
