from datetime import UTC, datetime, timedelta

from app.models import Membership, Need, NeedStatus, Role, utcnow
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier
from tests.needs.helpers import api_body, audit_actions, count_needs


def test_create_get_update_publish_close(browser, session) -> None:
    owner = make_manufacturer(session)
    browser.login(owner)
    created = browser.api("POST", "/api/needs", api_body())
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft" and body["version"] == 1
    assert body["confidential_notes"] == "Budget can stretch to 7000"
    assert body["kpis"] == [  # "%" is stored as its code (vocab.KPI_UNITS)
        {"metric": "defect_rate", "unit": "percent", "baseline": 3.0, "target": 1.0}
    ]
    url = f"/api/needs/{body['id']}"
    assert browser.api("GET", url).json()["title"] == "Press line defect inspection"
    updated = browser.api("PUT", url, api_body(title="Press dent inspection", version=1))
    assert updated.status_code == 200 and updated.json()["version"] == 2
    published = browser.api("POST", f"{url}/publish", {"version": 2})
    assert published.status_code == 200 and published.json()["status"] == "open"
    closed = browser.api("POST", f"{url}/close", {"reason": "Found a supplier offline"})
    assert closed.status_code == 200 and closed.json()["closed_at"]
    actions = [e.action for e in audit_actions(session, body["id"])]
    assert actions == ["need.created", "need.updated", "need.published", "need.closed"]
    assert audit_actions(session, body["id"])[-1].reason == "Found a supplier offline"


def test_naive_deadline_is_seoul_time(browser, session) -> None:
    browser.login(make_manufacturer(session))
    response = browser.api("POST", "/api/needs", api_body(deadline_at="2031-01-10T18:00:00"))
    assert response.json()["deadline_at"].startswith("2031-01-10T09:00:00")


def test_wrong_types_and_unknown_fields_are_422_and_write_nothing(browser, session) -> None:
    browser.login(make_manufacturer(session))
    before = count_needs(session)
    bad = api_body(budget_min="2000", prefer_in_province="yes", owner_id=3, kpis=[{"metric": 1}])
    response = browser.api("POST", "/api/needs", bad)
    assert response.status_code == 422
    fields = {tuple(e["loc"])[1] for e in response.json()["detail"]}
    assert {"budget_min", "prefer_in_province", "owner_id", "kpis"} <= fields
    assert count_needs(session) == before


def test_bounds_are_enforced(browser, session) -> None:
    browser.login(make_manufacturer(session))
    cases = [
        {"title": "x" * 201},
        {"must_have": ["a"] * 21},
        {"kpis": [{"metric": "cost"}] * 9},
        {"budget_min": 10_000_001},
        {"budget_min": 5000, "budget_max": 10},
        {"timeline_months": 0},
        {"process": "alchemy"},
        {"deadline_at": 12345},
    ]
    for override in cases:
        response = browser.api("POST", "/api/needs", api_body(**override))
        assert response.status_code == 422, override


def test_stale_version_is_409(browser, session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, status=NeedStatus.draft)
    browser.login(owner)
    assert browser.api("PUT", f"/api/needs/{need.id}", api_body(version=1)).status_code == 200
    stale = browser.api("PUT", f"/api/needs/{need.id}", api_body(title="Late edit", version=1))
    assert stale.status_code == 409 and stale.json()["error"] == "conflict"
    assert browser.api("POST", f"/api/needs/{need.id}/publish", {"version": 1}).status_code == 409


def test_invalid_transitions_are_409_with_a_message(browser, session) -> None:
    owner = make_manufacturer(session)
    draft = make_need(session, owner, status=NeedStatus.draft)
    live = make_need(session, owner, deadline_at=utcnow() + timedelta(days=3))
    browser.login(owner)
    close_draft = browser.api("POST", f"/api/needs/{draft.id}/close")
    assert close_draft.status_code == 409 and close_draft.json()["message"]
    assert browser.api("POST", f"/api/needs/{live.id}/publish").status_code == 409
    browser.api("POST", f"/api/needs/{live.id}/close")
    edit_closed = browser.api("PUT", f"/api/needs/{live.id}", api_body(version=2))
    assert edit_closed.status_code == 409


def test_publish_refuses_past_or_missing_deadline(browser, session) -> None:
    owner = make_manufacturer(session)
    past = make_need(session, owner, status=NeedStatus.draft, deadline_at=utcnow() - timedelta(1))
    missing = make_need(session, owner, status=NeedStatus.draft)
    browser.login(owner)
    for need in (past, missing):
        response = browser.api("POST", f"/api/needs/{need.id}/publish")
        assert response.status_code == 422 and response.json()["error"] == "invalid"
    session.expire_all()
    assert past.status is NeedStatus.draft and missing.status is NeedStatus.draft


def test_confidential_notes_are_null_for_suppliers(browser, session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, confidential_notes="secret margin")
    browser.login(make_supplier(session))
    assert browser.api("GET", f"/api/needs/{need.id}").json()["confidential_notes"] is None
    listing = browser.api("GET", "/api/needs").json()
    assert [item["confidential_notes"] for item in listing["items"]] == [None]
    assert "secret" not in browser.api("GET", "/api/needs").text
    assert browser.api("GET", "/api/needs", params={"q": "secret"}).json()["total"] == 0
    browser.login(make_staff(session))
    assert browser.api("GET", f"/api/needs/{need.id}").json()["confidential_notes"]


def test_visibility_cross_org_and_unknown_ids(browser, session) -> None:
    owner = make_manufacturer(session)
    draft = make_need(session, owner, status=NeedStatus.draft)
    live = make_need(session, owner)
    browser.login(make_supplier(session))
    assert browser.api("GET", f"/api/needs/{draft.id}").status_code == 404
    assert browser.api("GET", f"/api/needs/{live.id}").status_code == 200
    browser.login(make_manufacturer(session, name="경쟁사"))
    assert browser.api("GET", f"/api/needs/{live.id}").status_code == 404
    put = browser.api("PUT", f"/api/needs/{live.id}", api_body(version=1))
    assert put.status_code == 404
    assert browser.api("POST", f"/api/needs/{live.id}/close").status_code == 404
    assert browser.api("GET", "/api/needs/987654").status_code == 404
    assert browser.api("GET", "/api/needs").json()["total"] == 0


def test_role_denials(browser, session) -> None:
    need = make_need(session, make_manufacturer(session))
    assert browser.api("GET", "/api/needs").status_code == 401
    browser.login(make_supplier(session))
    assert browser.api("POST", "/api/needs", api_body()).status_code == 403
    assert browser.api("POST", f"/api/needs/{need.id}/close").status_code == 403
    browser.login(make_staff(session, Role.coordinator))
    assert browser.api("PUT", f"/api/needs/{need.id}", api_body(version=1)).status_code == 403


def test_supplier_not_admitted_is_403(browser, session) -> None:
    need = make_need(session, make_manufacturer(session))
    browser.login(make_supplier(session, membership=Membership.applied))
    assert browser.api("GET", "/api/needs").status_code == 403
    assert browser.api("GET", f"/api/needs/{need.id}").status_code == 403


def test_list_filters_are_bounded_query_params(browser, session) -> None:
    owner = make_manufacturer(session)
    make_need(session, owner, title="도장 얼룩 검사", process="painting")
    make_need(session, owner)
    browser.login(make_supplier(session))
    found = browser.api("GET", "/api/needs", params={"process": "painting", "per_page": 5})
    assert found.status_code == 200
    assert [i["title"] for i in found.json()["items"]] == ["도장 얼룩 검사"]
    assert found.json()["per_page"] == 5
    for params in ({"per_page": 500}, {"page": 0}, {"region": "mars"}, {"colour": "red"}):
        assert browser.api("GET", "/api/needs", params=params).status_code == 422, params


def test_coordinator_lists_every_status(browser, session) -> None:
    owner = make_manufacturer(session)
    make_need(session, owner, status=NeedStatus.draft)
    make_need(session, owner, status=NeedStatus.closed)
    browser.login(make_staff(session))
    statuses = {i["status"] for i in browser.api("GET", "/api/needs").json()["items"]}
    assert statuses == {"draft", "closed"}
    drafts = browser.api("GET", "/api/needs", params={"status": "draft"}).json()
    assert [i["status"] for i in drafts["items"]] == ["draft"]


def test_industry_and_region_default_from_profile(browser, session) -> None:
    browser.login(make_manufacturer(session, industry="31", region="gn-sacheon"))
    body = api_body()
    del body["industry"], body["region"]
    created = browser.api("POST", "/api/needs", body).json()
    assert (created["industry"], created["region"]) == ("31", "gn-sacheon")
    need = session.get(Need, created["id"])
    assert need.deadline_at.tzinfo is not None
    assert need.deadline_at > datetime.now(UTC)


def test_control_characters_are_422_and_write_nothing(browser, session) -> None:
    """A title with CR/LF once stopped every e-mail: one-line fields refuse line breaks and
    controls, multi-line ones keep line breaks and refuse the rest."""
    browser.login(make_manufacturer(session))
    before = count_needs(session)
    cases = [
        ("title", {"title": "Press inspection\r\nBcc: all@example.kr"}),
        ("title", {"title": "Press\tinspection"}),
        ("must_have", {"must_have": ["on site\ninstall"]}),
        ("kpis", {"kpis": [{"metric": "cost", "unit": "%\x1b"}]}),
        ("description", {"description": "Dents are found by eye\x07 at the end of the line."}),
    ]
    for field, override in cases:
        response = browser.api("POST", "/api/needs", api_body(**override))
        assert response.status_code == 422, override
        assert field in {e["loc"][1] for e in response.json()["detail"]}
    assert count_needs(session) == before
    kept = browser.api("POST", "/api/needs", api_body(description="First line.\r\nSecond line."))
    assert kept.status_code == 201 and kept.json()["description"] == "First line.\nSecond line."


def test_specialties_round_trip_and_unknown_codes_are_422(browser, session) -> None:
    browser.login(make_manufacturer(session))
    created = browser.api("POST", "/api/needs", api_body(specialties=["mes", "mes", "fems"]))
    assert created.status_code == 201 and created.json()["specialties"] == ["mes", "fems"]
    before = count_needs(session)
    bad = browser.api("POST", "/api/needs", api_body(specialties=["machine_vision", "alchemy"]))
    assert bad.status_code == 422
    assert {tuple(e["loc"])[1] for e in bad.json()["detail"]} == {"specialties"}
    assert count_needs(session) == before
