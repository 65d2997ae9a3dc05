import re

from sqlalchemy import func, select

from app.models import BidInvitation, ConflictOfInterest, Round, RoundStatus
from tests.builders import parse
from tests.coordinator.helpers import Landmarks

FORM = {
    "name": "11월 라운드",
    "shortlist_size": "2",
    "alternates": "1",
    "supplier_cap": "3",
    "min_new_suppliers": "0",
    "new_supplier_days": "180",
}


def latest_round(session) -> Round:
    session.expire_all()
    return session.scalars(select(Round).order_by(Round.id.desc())).first()


def test_select_propose_edit_release(browser, session, world) -> None:
    browser.login(world.coordinator)
    page = browser.get("/coordinator/rounds/new?region=gn-changwon")
    assert page.status_code == 200
    marks = Landmarks(page.text)
    assert {f"need-{n}" for n in world.needs} <= marks.ids and "propose" in marks.ids
    form = FORM | {"need_ids": [str(n) for n in world.needs[:2]], "region": "gn-changwon"}
    created = browser.post("/coordinator/rounds", form)
    assert created.status_code == 303
    round_ = latest_round(session)
    assert created.headers["location"] == f"/coordinator/rounds/{round_.id}"
    assert len(round_.needs) == 2 and round_.filters == {"region": "gn-changwon"}
    review = browser.get(created.headers["location"])
    marks = Landmarks(review.text)
    assert {"round-stats", "release-form", "solve-form", "add-pair-form"} <= marks.ids
    assert marks.count("round-need") == 2 and marks.count("shortlist") >= 2
    pair = next(p for p in round_.pairs if p.kind == "shortlist")
    removed = browser.post(
        f"/coordinator/rounds/{round_.id}/pairs/{pair.id}/remove", {"version": str(round_.version)}
    )
    assert removed.status_code == 303 and removed.headers["location"].endswith("done=removed")
    url = f"/coordinator/rounds/{round_.id}/release"
    stale = browser.confirm(url, {"version": str(round_.version)})
    assert stale.status_code == 409 and "alert error" in stale.text
    version = latest_round(session).version
    asked = parse(browser.post(url, {"version": str(version)}).text).texts
    assert "3" in asked["confirm-happens"] and "confirm-cancel" in asked
    assert latest_round(session).status is RoundStatus.draft
    released = browser.confirm(url, {"version": str(version)})
    assert released.status_code == 303
    assert latest_round(session).status is RoundStatus.released
    count = select(func.count(BidInvitation.id)).where(BidInvitation.round_id == round_.id)
    assert session.scalar(count) == 3
    after = Landmarks(browser.get(f"/coordinator/rounds/{round_.id}").text)
    assert "withdraw-form" in after.ids and "release-form" not in after.ids
    listed = Landmarks(browser.get("/coordinator/rounds").text)
    assert f"round-{round_.id}" in listed.ids


def test_bad_forms_re_render(browser, session, world) -> None:
    browser.login(world.coordinator)
    bad = browser.post("/coordinator/rounds", FORM | {"shortlist_size": "0", "need_ids": []})
    assert bad.status_code == 422 and 'id="shortlist_size-error"' in bad.text
    none = browser.post("/coordinator/rounds", FORM | {"need_ids": []})
    assert none.status_code == 422 and "alert error" in none.text
    assert browser.get("/coordinator/rounds/999999").status_code == 404
    browser.post("/coordinator/rounds", FORM | {"need_ids": [str(world.needs[0])]})
    round_ = latest_round(session)
    empty = browser.confirm(f"/coordinator/rounds/{round_.id}/withdraw", {})
    assert empty.status_code == 422
    early = browser.confirm(
        f"/coordinator/rounds/{round_.id}/withdraw",
        {"version": str(round_.version), "reason": "취소"},
    )
    assert early.status_code == 409


def test_resolve_with_new_settings(browser, session, world) -> None:
    browser.login(world.coordinator)
    browser.post("/coordinator/rounds", FORM | {"need_ids": [str(n) for n in world.needs]})
    round_ = latest_round(session)
    settings = FORM | {
        "version": str(round_.version),
        "min_new_suppliers": "1",
        "new_supplier_days": "30",
        "fill_empty": "true",  # the only new supplier is below the minimum fit
    }
    settings.pop("name")
    solved = browser.post(f"/coordinator/rounds/{round_.id}/solve", settings)
    assert solved.status_code == 303
    round_ = latest_round(session)
    assert round_.min_new_suppliers == 1 and round_.fill_empty
    assert round_.stats["quota"]["met"] == 1
    page = browser.get(f"/coordinator/rounds/{round_.id}").text
    assert "badge new" in page and "reason-new_quota" in page


def test_conflict_pages(browser, session, world) -> None:
    browser.login(world.coordinator)
    page = browser.get("/coordinator/conflicts")
    assert page.status_code == 200 and "conflict-form" in Landmarks(page.text).ids
    declared = browser.post(
        "/coordinator/conflicts",
        {
            "supplier_org_id": str(world.org("best")),
            "manufacturer_org_id": str(world.makers[0].organization_id),
            "kind": "dispute",
            "reason": "2024년 계약 분쟁",
        },
    )
    assert declared.status_code == 303
    conflict = session.scalars(select(ConflictOfInterest)).one()
    listed = Landmarks(browser.get("/coordinator/conflicts").text)
    assert f"conflict-{conflict.id}" in listed.ids
    bad = browser.post("/coordinator/conflicts", {"supplier_org_id": "", "reason": "x"})
    assert bad.status_code == 422
    no_reason = browser.post(f"/coordinator/conflicts/{conflict.id}/remove", {"reason": ""})
    assert no_reason.status_code == 422
    lifted = browser.post(f"/coordinator/conflicts/{conflict.id}/remove", {"reason": "분쟁 종결"})
    assert lifted.status_code == 303
    session.expire_all()
    assert session.scalar(select(func.count(ConflictOfInterest.id))) == 0


def test_english_review(browser, session, world) -> None:
    world.coordinator.locale = "en"
    browser.login(world.coordinator)
    browser.post("/coordinator/rounds", FORM | {"need_ids": [str(world.needs[0])]})
    page = browser.get(f"/coordinator/rounds/{latest_round(session).id}").text
    assert "Shortlist (invited on release)" in page
    assert re.search(r"match quality lost against plain top-k", page)
