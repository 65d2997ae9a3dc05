"""An admin resets a user's access (sessions and tokens end, a reset e-mail goes out) and
sends pending invitations again (a new link; the old one stops working)."""

from sqlalchemy import select

from app.accounts import service as accounts
from app.models import ApiToken, AuditEntry, Invitation, OutboxMessage, Role
from tests.builders import make_manufacturer, make_staff


def mails(session, email: str) -> list[OutboxMessage]:
    session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.to_email == email)
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def test_reset_access_signs_out_and_mails_a_reset_link(browser, session) -> None:
    user = make_manufacturer(session)
    cookie = accounts.start_session(session, user)
    token = accounts.create_api_token(session, user, "t")[0]
    browser.login(make_staff(session, Role.admin))
    page = browser.get("/admin/users")
    assert f'id="reset-access-{user.id}"' in page.text
    done = browser.post(f"/admin/users/{user.id}/reset-access")
    assert done.status_code == 303 and done.headers["location"] == "/admin/users?done=reset"
    session.expire_all()
    assert accounts.user_for_session(session, cookie) is None
    assert session.get(ApiToken, token.id).revoked_at is not None
    [mail] = mails(session, user.email)
    assert "/reset/" in mail.body
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "user.access_reset"))


def test_reset_access_by_api_and_not_for_oneself(browser, session) -> None:
    admin = make_staff(session, Role.admin)
    user = make_manufacturer(session)
    browser.login(admin)
    assert browser.api("POST", f"/api/admin/users/{user.id}/reset-access").status_code == 200
    assert browser.api("POST", f"/api/admin/users/{admin.id}/reset-access").status_code == 403
    assert browser.api("POST", "/api/admin/users/999999/reset-access").status_code == 404


def test_coordinators_cannot_reset_access(browser, session) -> None:
    user = make_manufacturer(session)
    browser.login(make_staff(session))
    assert browser.api("POST", f"/api/admin/users/{user.id}/reset-access").status_code == 403
    assert mails(session, user.email) == []


def test_an_admin_sends_an_invitation_again_with_a_new_link(browser, session) -> None:
    owner = make_manufacturer(session)
    invitation, old = accounts.invite(session, owner, "late@mfr.example.kr")
    browser.login(make_staff(session, Role.admin))
    listed = browser.get("/admin/invitations")
    assert f'id="invitation-{invitation.id}"' in listed.text
    done = browser.post(f"/admin/invitations/{invitation.id}/resend")
    assert done.status_code == 303
    first, second = mails(session, "late@mfr.example.kr")
    assert f"/invitations/{old}" in first.body and f"/invitations/{old}" not in second.body
    assert browser.get(f"/invitations/{old}").status_code == 404
    new = second.body.split("/invitations/")[1].split()[0]
    assert browser.get(f"/invitations/{new}").status_code == 200
    api = browser.api("POST", f"/api/admin/invitations/{invitation.id}/resend")
    assert api.status_code == 200 and api.json()["email"] == "late@mfr.example.kr"
    assert [i["id"] for i in browser.api("GET", "/api/admin/invitations").json()] == [invitation.id]


def test_an_accepted_invitation_is_not_sent_again(browser, session) -> None:
    owner = make_manufacturer(session)
    invitation, _ = accounts.invite(session, owner, "in@mfr.example.kr")
    session.get(Invitation, invitation.id).accepted_at = invitation.created_at
    session.flush()
    browser.login(make_staff(session, Role.admin))
    assert browser.api("POST", f"/api/admin/invitations/{invitation.id}/resend").status_code == 404
