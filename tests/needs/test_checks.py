"""A newly registered manufacturer's first need waits for a coordinator's check: unseen by
suppliers, no alerts; approved, it publishes through the normal path and later needs publish
directly; returned, it goes back to draft with a reason. Service, pages and API."""

import pytest
from sqlalchemy import select

from app.config import get_settings
from app.errors import Conflict, NotFound
from app.home.service import load_home
from app.hooks import install
from app.models import AuditEntry, NeedStatus
from app.needs import checks, service
from app.notifications.schemas import SavedSearchIn
from app.notifications.searches import create_search
from tests.bids.conftest import future
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier, parse
from tests.notifications.conftest import notices, recipients

PRESS = "프레스 찍힘 불량 검사"


@pytest.fixture
def newcomer(session):
    install()
    return make_manufacturer(session, name="신규정밀", checked=False)


def draft(session, owner, **fields):
    return make_need(session, owner, NeedStatus.draft, deadline_at=future(), **fields)


def actions(session, need) -> list[str]:
    query = select(AuditEntry.action).where(
        AuditEntry.entity_type == "needs", AuditEntry.entity_id == need.id
    )
    return list(session.scalars(query.order_by(AuditEntry.id)))


def test_a_first_need_waits_unseen_and_without_alerts(session, newcomer) -> None:
    supplier = make_supplier(session, "프레스AI")
    create_search(session, supplier, SavedSearchIn(name="프레스", query=PRESS))
    coordinator = make_staff(session)
    need = service.publish(session, draft(session, newcomer), newcomer)
    assert need.status is NeedStatus.awaiting_check and need.published_at is None
    with pytest.raises(NotFound):
        service.get_need(session, supplier, need.id)
    assert notices(session, kind="need_matched") == []
    assert recipients(session, "need_to_check") == {coordinator.id}
    assert checks.pending(session) == [need]
    assert actions(session, need) == ["need.check_requested"]


def test_approval_publishes_and_later_needs_publish_directly(session, newcomer) -> None:
    supplier = make_supplier(session, "프레스AI")
    create_search(session, supplier, SavedSearchIn(name="프레스", query=PRESS))
    coordinator = make_staff(session)
    need = service.publish(session, draft(session, newcomer), newcomer)
    checks.approve(session, coordinator, need.id, need.version, "사업자 확인")
    assert need.status is NeedStatus.open and need.track is not None  # readiness routing ran
    assert need.organization.checked_at is not None
    assert actions(session, need)[-2:] == ["need.check_approved", "need.published"]
    assert recipients(session, "need_checked") == {newcomer.id}
    assert recipients(session, "need_matched") == {supplier.id}
    assert notices(session, kind="need_to_check")[0].read_at is not None  # its action taken
    later = service.publish(session, draft(session, newcomer, title="용접 비드 검사"), newcomer)
    assert later.status is NeedStatus.open
    with pytest.raises(Conflict):
        checks.approve(session, coordinator, need.id, None, None)


def test_return_sends_it_back_with_a_reason(session, newcomer) -> None:
    coordinator = make_staff(session)
    need = service.publish(session, draft(session, newcomer), newcomer)
    checks.send_back(session, coordinator, need.id, None, "예산 근거를 적어 주세요")
    assert need.status is NeedStatus.draft and need.organization.checked_at is None
    (notice,) = notices(session, newcomer, "need_returned")
    assert notice.params["reason"] == "예산 근거를 적어 주세요"
    assert actions(session, need)[-1] == "need.check_returned"
    again = service.publish(session, need, newcomer)
    assert again.status is NeedStatus.awaiting_check  # still unchecked: waits again


def test_the_rule_is_a_setting(session, newcomer, monkeypatch) -> None:
    monkeypatch.setattr(get_settings(), "first_need_check", False)
    assert service.publish(session, draft(session, newcomer), newcomer).status is NeedStatus.open


def test_pages_publish_to_the_queue_and_the_coordinator_confirms(
    browser, session, newcomer
) -> None:
    need = draft(session, newcomer)
    browser.login(newcomer)
    assert "confirm-happens" not in parse(browser.get(f"/needs/{need.id}").text).texts
    sent = browser.post(f"/needs/{need.id}/publish", {"version": "1"})
    page = parse(browser.get(sent.headers["location"]).text).texts
    assert "awaiting-check" in page and "flash" in page
    browser.login(make_staff(session))
    queue = parse(browser.get("/coordinator/checks").text).texts
    assert f"need-{need.id}" in queue and "nav-checks" in queue
    url = f"/coordinator/checks/{need.id}"
    assert "confirm-form" in parse(browser.post(f"{url}/approve").text).texts
    assert browser.post(f"{url}/return", {"reason": ""}).status_code == 422
    session.refresh(need)
    assert need.status is NeedStatus.awaiting_check
    done = browser.confirm(f"{url}/approve")
    assert done.status_code == 303 and done.headers["location"] == "/coordinator/checks"
    session.refresh(need)
    assert need.status is NeedStatus.open
    assert "checks-empty" in parse(browser.get("/coordinator/checks").text).texts
    assert browser.post(f"{url}/approve").status_code == 409  # nothing left to confirm


def test_api_queue_approve_and_return(browser, session, newcomer) -> None:
    first = service.publish(session, draft(session, newcomer), newcomer)
    second = service.publish(session, draft(session, newcomer, title="도장"), newcomer)
    browser.login(newcomer)
    assert browser.api("GET", "/api/coordinator/checks").status_code == 403
    api = f"/api/needs/{first.id}"
    assert browser.api("GET", api).json()["status"] == "awaiting_check"
    browser.login(make_staff(session))
    queued = browser.api("GET", "/api/coordinator/checks").json()
    assert [n["id"] for n in queued] == [first.id, second.id]
    refused = browser.api("POST", f"/api/coordinator/checks/{second.id}/return", {})
    assert refused.status_code == 422
    returned = browser.api(
        "POST", f"/api/coordinator/checks/{second.id}/return", {"reason": "사진 보완"}
    )
    assert returned.json()["status"] == "draft"
    approved = browser.api("POST", f"/api/coordinator/checks/{first.id}/approve", {})
    assert approved.status_code == 200 and approved.json()["status"] == "open"


def test_the_api_publish_path_obeys_the_rule(browser, session, newcomer) -> None:
    need = draft(session, newcomer)
    browser.login(newcomer)
    published = browser.api("POST", f"/api/needs/{need.id}/publish", {})
    assert published.status_code == 200 and published.json()["status"] == "awaiting_check"


def test_the_coordinators_home_lists_first_needs_until_checked(session, newcomer) -> None:
    coordinator = make_staff(session)
    need = service.publish(session, draft(session, newcomer), newcomer)

    def waiting() -> list[str]:
        home = load_home(session, coordinator, get_settings())
        return [i.href for s in home.sections if s.kind == "needs_to_check" for i in s.items]

    assert waiting() == [f"/coordinator/checks#need-{need.id}"]
    checks.approve(session, coordinator, need.id, need.version, "사업자 확인")
    assert waiting() == []
