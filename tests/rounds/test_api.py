import pytest
from sqlalchemy import func, select

from app.models import AuditEntry, BidInvitation, CohortMember, ConflictOfInterest, Role
from app.rounds import release
from tests.builders import make_staff
from tests.rounds.helpers import cohort_of

BASE = {"name": "11월 라운드", "shortlist_size": 2, "alternates": 1, "supplier_cap": 3}


def create(browser, **body):  # type: ignore[no-untyped-def]
    response = browser.api("POST", "/api/rounds", json=BASE | body)
    assert response.status_code == 201, response.text
    return response.json()


def invitations(session, round_id: int) -> int:
    query = select(func.count(BidInvitation.id)).where(BidInvitation.round_id == round_id)
    return session.scalar(query)


def test_a_round_through_the_api(browser, session, world) -> None:
    browser.login(world.coordinator)
    preview = browser.api("GET", "/api/rounds/open-needs?industry=30").json()
    assert {n["id"] for n in preview} == set(world.needs)
    body = create(browser)
    assert body["status"] == "draft" and body["need_count"] == 3
    assert body["stats"]["status"] == "optimal" and body["stats"]["shortlist"] == 6
    need = body["needs"][0]
    assert len(need["shortlist"]) == 2 and need["shortlist"][0]["parts"]
    assert {"reasons", "topk_rank", "new_supplier", "supplier_name"} <= set(need["shortlist"][0])
    round_id, version = body["id"], body["version"]
    pair = need["shortlist"][0]
    removed = browser.api(
        "POST", f"/api/rounds/{round_id}/pairs/{pair['id']}/remove", json={"version": version}
    )
    assert removed.status_code == 200 and removed.json()["kind"] == "excluded"
    stale = browser.api("POST", f"/api/rounds/{round_id}/release", json={"version": version})
    assert stale.status_code == 409
    current = browser.api("GET", f"/api/rounds/{round_id}").json()
    solved = browser.api(
        "POST",
        f"/api/rounds/{round_id}/solve",
        json={"version": current["version"], **{k: BASE[k] for k in BASE if k != "name"}},
    )
    assert (
        solved.status_code == 200 and solved.json()["needs"][0]["excluded"][0]["id"] == pair["id"]
    )
    released = browser.api(
        "POST", f"/api/rounds/{round_id}/release", json={"version": solved.json()["version"]}
    )
    assert released.status_code == 200 and released.json()["status"] == "released"
    assert invitations(session, round_id) == 6
    again = browser.api(
        "POST", f"/api/rounds/{round_id}/release", json={"version": released.json()["version"]}
    )
    assert again.status_code == 409
    listed = browser.api("GET", "/api/rounds").json()
    assert listed["items"][0]["id"] == round_id and listed["total"] == 1


def test_release_is_one_transaction(browser, session, world, monkeypatch) -> None:
    browser.login(world.coordinator)
    body = create(browser)
    calls = []
    real = release.audit.record

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[2])
        if calls.count("bid.invited") == 3:
            raise RuntimeError("the database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(release.audit, "record", failing)
    with pytest.raises(RuntimeError):
        browser.api("POST", f"/api/rounds/{body['id']}/release", json={"version": body["version"]})
    session.expire_all()
    assert invitations(session, body["id"]) == 0
    monkeypatch.undo()
    ok = browser.api("POST", f"/api/rounds/{body['id']}/release", json={"version": body["version"]})
    assert ok.status_code == 200 and invitations(session, body["id"]) == 6


def test_add_force_and_withdraw(browser, session, world) -> None:
    browser.login(world.coordinator)
    body = create(browser, alternates=2)
    round_id = body["id"]
    alternate = body["needs"][0]["alternates"][0]
    forced = browser.api(
        "POST",
        f"/api/rounds/{round_id}/pairs/{alternate['id']}/force",
        json={"version": body["version"]},
    )
    assert forced.json()["source"] == "forced" and forced.json()["kind"] == "shortlist"
    version = browser.api("GET", f"/api/rounds/{round_id}").json()["version"]
    added = browser.api(
        "POST",
        f"/api/rounds/{round_id}/pairs",
        json={
            "version": version,
            "need_id": world.needs[2],
            "supplier_org_id": world.org("newbie"),
        },
    )
    assert added.status_code == 201 and added.json()["source"] == "added"
    version = browser.api("GET", f"/api/rounds/{round_id}").json()["version"]
    released = browser.api("POST", f"/api/rounds/{round_id}/release", json={"version": version})
    assert released.json()["stats"]["released"]["invited"] == 8
    withdrawn = browser.api(
        "POST",
        f"/api/rounds/{round_id}/withdraw",
        json={"version": released.json()["version"], "reason": "재검토"},
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert invitations(session, round_id) == 0


def test_bad_requests(browser, session, world) -> None:
    browser.login(world.coordinator)
    assert browser.api("POST", "/api/rounds", json=BASE | {"shortlist_size": 0}).status_code == 422
    assert (
        browser.api("POST", "/api/rounds", json=BASE | {"posted_from": "어제"}).status_code == 422
    )
    assert browser.api("POST", "/api/rounds", json=BASE | {"region": "seoul"}).status_code == 422
    assert browser.api("GET", "/api/rounds/999999").status_code == 404
    body = create(browser)
    pair = body["needs"][0]["shortlist"][0]
    missing = browser.api(
        "POST", f"/api/rounds/{body['id']}/pairs/999999/remove", json={"version": body["version"]}
    )
    assert missing.status_code == 404 and pair["id"] != 999999
    extra = browser.api("POST", f"/api/rounds/{body['id']}/release", json={"version": 1, "x": 1})
    assert extra.status_code == 422


def test_cohort_and_date_filters(browser, session, world) -> None:
    cohort = cohort_of(session, world.makers[1])
    browser.login(world.coordinator)
    needs = browser.api("GET", f"/api/rounds/open-needs?cohort_id={cohort.id}").json()
    assert [n["id"] for n in needs] == [world.needs[2]]
    body = create(browser, cohort_id=cohort.id, posted_from="2020-01-01")
    assert body["need_count"] == 1 and body["cohort_id"] == cohort.id
    assert body["filters"] == {"cohort_id": cohort.id, "posted_from": "2020-01-01"}
    assert session.scalar(select(func.count(CohortMember.id))) == 1


def test_conflicts_api(browser, session, world) -> None:
    browser.login(world.coordinator)
    body = {
        "supplier_org_id": world.org("best"),
        "manufacturer_org_id": world.makers[0].organization_id,
        "kind": "same_owner",
        "reason": "대표이사가 같습니다",
    }
    created = browser.api("POST", "/api/conflicts", json=body)
    assert created.status_code == 201 and created.json()["supplier_name"] == "best"
    assert browser.api("POST", "/api/conflicts", json=body).status_code == 409
    swapped = body | {"supplier_org_id": world.makers[0].organization_id}
    assert browser.api("POST", "/api/conflicts", json=swapped).status_code == 404
    listed = browser.api("GET", f"/api/conflicts?org_id={world.org('best')}").json()
    assert listed["total"] == 1 and listed["items"][0]["kind"] == "same_owner"
    conflict_id = created.json()["id"]
    assert browser.api("POST", f"/api/conflicts/{conflict_id}/remove", json={}).status_code == 422
    gone = browser.api("POST", f"/api/conflicts/{conflict_id}/remove", json={"reason": "지분 정리"})
    assert gone.status_code == 204 and session.get(ConflictOfInterest, conflict_id) is None
    actions = set(session.scalars(select(AuditEntry.action)))
    assert {"conflict.declared", "conflict.removed"} <= actions


def test_only_staff_use_rounds(browser, session, world) -> None:
    browser.login(world.suppliers["best"])
    assert browser.api("GET", "/api/rounds").status_code == 403
    browser.login(make_staff(session, Role.admin))
    assert browser.api("GET", "/api/rounds").status_code == 200
