"""The nav's unread count, the notification list, read marks, e-mail preferences; pages and
JSON API, in Korean and English; a user only ever reaches their own notifications."""

from sqlalchemy import select

from app.bids import dialogue
from app.models import EmailPreference, Role
from app.notifications.service import Notice, notify
from tests.bids.conftest import future
from tests.builders import make_manufacturer, make_need, make_supplier, make_user
from tests.engagements.helpers import ids
from tests.notifications.conftest import mails, notices, parse


def invited(session, count: int = 2):
    owner = make_manufacturer(session)
    supplier = make_supplier(session)
    needs = [
        make_need(session, owner, deadline_at=future(), title=f"검사 {i}") for i in range(count)
    ]
    for need in needs:
        dialogue.invite(session, owner, need.id, supplier.organization_id)
    session.flush()
    return owner, supplier, needs


def test_the_bell_counts_unread_notifications(browser, session) -> None:
    _, supplier, _ = invited(session)
    browser.login(supplier)
    page = browser.get("/needs")
    assert parse(page.text).texts["unread-count"] == "2"
    assert browser.post("/notifications/read-all").headers["location"] == "/notifications"
    assert "unread-count" not in ids(browser.get("/needs").text)
    assert "bell" in ids(browser.get("/needs/999999").text)  # an error page still renders


def test_the_list_speaks_the_readers_language_and_opens_the_link(browser, session) -> None:
    _, supplier, needs = invited(session, 1)
    (notice,) = notices(session, supplier)
    browser.login(supplier)
    page = browser.get("/notifications")
    assert f"notification-{notice.id}" in ids(page.text)
    assert "“검사 0” 수요에 입찰 초대를 받았습니다." in page.text
    supplier.locale = "en"
    session.flush()
    assert "You are invited to bid on “검사 0”." in browser.get("/notifications").text
    opened = browser.post(f"/notifications/{notice.id}/open")
    assert opened.status_code == 303 and opened.headers["location"] == f"/needs/{needs[0].id}"
    session.expire_all()
    assert notice.read_at is not None
    assert "no-notifications" in ids(browser.get("/notifications?unread=true").text)


def test_nobody_reaches_another_users_notification(browser, session) -> None:
    _, supplier, _ = invited(session, 1)
    colleague = make_user(session, supplier.organization, Role.supplier)
    mine = notices(session, supplier)[0]
    browser.login(colleague)
    assert browser.post(f"/notifications/{mine.id}/open").status_code == 404
    assert browser.post(f"/notifications/{mine.id}/read").status_code == 404
    assert browser.api("POST", f"/api/notifications/{mine.id}/read").status_code == 404
    ours = browser.api("GET", "/api/notifications").json()
    assert mine.id not in {item["id"] for item in ours["items"]}
    session.expire_all()
    assert mine.read_at is None


def test_the_api_lists_counts_and_marks(browser, session) -> None:
    _, supplier, needs = invited(session, 3)
    browser.login(supplier)
    body = browser.api("GET", "/api/notifications?per_page=2").json()
    assert body["total"] == 3 and body["unread"] == 3 and len(body["items"]) == 2
    first = body["items"][0]
    assert first["kind"] == "invited" and first["text"].endswith("수요에 입찰 초대를 받았습니다.")
    assert first["link"] == f"/needs/{needs[2].id}"
    read = browser.api("POST", f"/api/notifications/{first['id']}/read").json()
    assert read["read_at"] is not None
    assert browser.api("GET", "/api/notifications/unread-count").json() == {"unread": 2}
    unread = browser.api("GET", "/api/notifications?unread=true").json()
    assert first["id"] not in {item["id"] for item in unread["items"]}
    assert browser.api("POST", "/api/notifications/read-all").json() == {"marked": 2}
    assert browser.api("GET", "/api/notifications?page=0").status_code == 422


def test_preferences_page_turns_emails_off_but_not_notices(browser, session) -> None:
    owner = make_manufacturer(session)
    supplier = make_supplier(session)
    browser.login(supplier)
    page = browser.get("/account/notifications")
    assert {"preferences", "email-invited", "email-need_matched"} <= ids(page.text)
    assert "email-bids_ready" not in ids(page.text)  # a manufacturer's kind
    kept = {"email": ["deadline_near", "question_answered", "bid_outcome", "need_matched"]}
    saved = browser.post("/account/notifications", kept)
    assert saved.headers["location"] == "/account/notifications?saved=1"
    after = browser.get(saved.headers["location"]).text
    assert "saved" in ids(after)
    assert parse(after).checked == {f"email-{kind}" for kind in kept["email"]}
    need = make_need(session, owner, deadline_at=future())
    dialogue.invite(session, owner, need.id, supplier.organization_id)
    assert len(notices(session, supplier)) == 1 and mails(session, supplier) == []


def test_preferences_api(browser, session) -> None:
    manufacturer = make_manufacturer(session)
    browser.login(manufacturer)
    listed = browser.api("GET", "/api/notification-preferences").json()
    assert {p["kind"] for p in listed} == {
        "question_asked",
        "bids_ready",
        "proposal_to_decide",
        "award_rejected",
        "stage_moved",
        "engagement_cancelled",
        "agreement_confirmed",
        "agreement_amended",
        "milestone_delivered",
        "result_verified",
        "result_rejected",
        "need_checked",
        "need_returned",
    }
    assert all(p["email"] for p in listed)
    changed = browser.api("PUT", "/api/notification-preferences", {"email_off": ["bids_ready"]})
    assert {p["kind"]: p["email"] for p in changed.json()}["bids_ready"] is False
    stored = session.scalars(select(EmailPreference).where(EmailPreference.enabled.is_(False)))
    assert [p.kind for p in stored] == ["bids_ready"]
    notice = Notice("bids_ready", {"title": "t", "count": 1}, "/needs/1/bids")
    notify(session, [manufacturer], notice)
    assert mails(session, manufacturer) == [] and len(notices(session, manufacturer)) == 1
    bad = browser.api("PUT", "/api/notification-preferences", {"email_off": ["nonsense"]})
    assert bad.status_code == 422
    browser.api("PUT", "/api/notification-preferences", {"email_off": []})
    assert all(p["email"] for p in browser.api("GET", "/api/notification-preferences").json())
