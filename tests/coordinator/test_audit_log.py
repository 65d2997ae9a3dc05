"""The audit log page, its filters, its CSV export and the API, in words (app/audit_view.py)."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.models import AuditEntry, Membership, Role
from app.rounds.conflicts import declare
from app.rounds.schemas import ConflictIn
from tests.builders import make_manufacturer, make_staff, make_supplier, parse
from tests.coordinator.helpers import Landmarks, bearer


@pytest.fixture
def coordinator(session):
    return make_staff(session, Role.coordinator)


@pytest.fixture
def affiliated(session, coordinator):
    """An affiliation conflict between 누리비전 and 김해금속, declared by the coordinator."""
    supplier = make_supplier(session, name="누리비전")
    maker = make_manufacturer(session, name="김해금속", region="gn-gimhae")
    data = ConflictIn(
        supplier_org_id=supplier.organization_id,
        manufacturer_org_id=maker.organization_id,
        kind="affiliated",
        reason="같은 그룹 계열사",
    )
    declare(session, coordinator, data)
    session.flush()
    return supplier, maker


def test_an_entry_reads_in_words_with_names_linked(browser, session, coordinator, affiliated):
    supplier, maker = affiliated
    browser.login(coordinator)
    page = parse(browser.get("/coordinator/audit").text)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "conflict.declared"))
    row = page.texts[f"audit-{entry.id}"]
    assert "이해충돌 등록" in row and "계열 관계" in row and "지원단" not in row
    assert "누리비전" in row and "김해금속" in row and "conflict.declared" not in row
    assert f"/coordinator/organizations/{supplier.organization_id}" in page.hrefs
    assert f"/coordinator/organizations/{maker.organization_id}" in page.hrefs


def test_the_action_filter_offers_translated_labels(browser, session, coordinator) -> None:
    browser.login(coordinator)
    page = parse(browser.get("/coordinator/audit").text)
    assert (
        "회원 승인" in page.texts["f-action"]
        and "membership.admitted" not in page.texts["f-action"]
    )


def test_filters_by_dates_actor_organisation_and_action(browser, session, coordinator, affiliated):
    other = make_staff(session, Role.admin)
    applied = make_supplier(session, name="창원비전", membership=Membership.applied)
    browser.login(other).post(
        f"/coordinator/suppliers/{applied.organization_id}/membership",
        {"status": "admitted", "reason": "승인"},
    )
    old = session.scalar(select(AuditEntry).where(AuditEntry.action == "conflict.declared"))
    when = old.created_at - timedelta(days=10)
    session.execute(update(AuditEntry).where(AuditEntry.id == old.id).values(created_at=when))
    browser.login(coordinator)

    def count(query: str) -> int:
        return Landmarks(browser.get(f"/coordinator/audit?{query}").text).count("audit-entry")

    day = when.date()
    assert count(f"date_from={day - timedelta(days=1)}&date_to={day + timedelta(days=1)}") == 1
    assert count(f"actor={other.name[:4]}") >= 1
    assert count("organization=창원") == 1
    assert count("action=conflict.declared") == 1
    assert count("organization=창원&action=conflict.declared") == 0
    assert browser.get("/coordinator/audit?date_from=yesterday").status_code == 422


def test_the_csv_is_utf8_with_bom_localized_and_guarded(browser, session, coordinator) -> None:
    browser.login(coordinator)
    org = make_supplier(session, name="=HYPERLINK(2)", membership=Membership.applied)
    browser.post(
        f"/coordinator/suppliers/{org.organization_id}/membership",
        {"status": "admitted", "reason": "+승인"},
    )
    response = browser.get("/coordinator/audit.csv?action=membership.admitted")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["일시", "작업"]
    [row] = rows[1:]
    assert "회원 승인" in row and "'=HYPERLINK(2)" in row and "'+승인" in row


def test_the_api_keeps_raw_fields_and_adds_words(client, session, coordinator, affiliated):
    supplier, _ = affiliated
    headers = bearer(session, coordinator)
    body = client.get("/api/coordinator/audit?action=conflict.declared&lang=en", headers=headers)
    [item] = body.json()["items"]
    assert item["action"] == "conflict.declared" and item["after"]["kind"] == "affiliated"
    assert item["after"]["supplier_org_id"] == supplier.organization_id
    assert item["action_label"] == "Conflict of interest declared"
    changes = {c["key"]: c for c in item["changes"]}
    assert changes["kind"]["after"] == "Affiliated companies"
    assert changes["supplier_org_id"]["text"] == "Supplier: 누리비전"
    assert item["summary"].startswith("Conflict of interest declared")
