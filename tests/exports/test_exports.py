"""Exports: CSV (BOM, headers in the reader's language, formula cells guarded) and JSON Lines,
filtered as the list pages are, owned rows only, sealed bids never, streamed in batches."""

import csv
import io
import json
from datetime import timedelta

from sqlalchemy import event

from app import audit as audit_log
from app.exports import service
from app.exports.kinds import KINDS
from app.models import KpiResult, Membership, NeedStatus, ResultPhase, Stage, utcnow
from tests.bids.conftest import make_bid, pass_deadline
from tests.builders import make_engagement, make_manufacturer, make_need, make_staff, make_supplier


def rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def lines(response) -> list[dict]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return [json.loads(line) for line in response.text.splitlines()]


def test_engagements_csv_has_korean_headers_and_every_engagement_for_staff(browser, session):
    maker, supplier = make_manufacturer(session), make_supplier(session)
    first = make_engagement(session, maker, supplier, title="첫 과제")
    make_engagement(session, maker, supplier, title="둘째 과제")
    session.commit()
    browser.login(make_staff(session))
    table = rows(browser.get("/exports/engagements.csv"))
    assert table[0][:4] == ["프로젝트", "수요", "수요 제목", "제조기업"]
    assert sorted(r[2] for r in table[1:]) == ["둘째 과제", "첫 과제"]
    api = lines(browser.api("GET", "/api/exports/engagements?format=jsonl"))
    assert {e["id"] for e in api} >= {first.id} and api[0]["stage"] == "consulting"


def test_english_readers_get_english_headers(browser, session):
    staff = make_staff(session)
    staff.locale = "en"
    session.commit()
    browser.login(staff)
    assert rows(browser.api("GET", "/api/exports/engagements"))[0][0] == "Engagement"


def test_filters_are_the_list_pages(browser, session):
    maker, supplier = make_manufacturer(session), make_supplier(session)
    moved = make_engagement(session, maker, supplier, title="설계 단계")
    make_engagement(session, maker, supplier, title="컨설팅 단계")
    moved.stage = Stage.design
    session.commit()
    browser.login(make_staff(session))
    table = rows(browser.get("/exports/engagements.csv?stage=design"))
    assert [r[2] for r in table[1:]] == ["설계 단계"]
    assert browser.get("/exports/engagements.csv?stage=nowhere").status_code == 422


def test_parties_export_only_their_own(browser, session):
    maker, supplier = make_manufacturer(session), make_supplier(session)
    other = make_manufacturer(session, name="남의공장")
    make_engagement(session, maker, supplier, title="우리 과제")
    make_engagement(session, other, make_supplier(session, "남의공급사"), title="남의 과제")
    session.commit()
    for user in (maker, supplier):
        browser.login(user)
        assert [r[2] for r in rows(browser.get("/exports/engagements.csv"))[1:]] == ["우리 과제"]
    browser.login(maker)
    needs = lines(browser.api("GET", "/api/exports/needs?format=jsonl"))
    assert {n["organization"] for n in needs} == {maker.organization.name}
    assert browser.api("GET", "/api/exports/suppliers").status_code == 403
    assert browser.api("GET", "/api/exports/audit").status_code == 403


def test_a_cell_that_starts_a_formula_is_quoted(browser, session):
    maker, supplier = make_manufacturer(session), make_supplier(session)
    make_engagement(session, maker, supplier, title='=HYPERLINK("http://x")')
    session.commit()
    browser.login(maker)
    assert rows(browser.get("/exports/engagements.csv"))[1][2] == '\'=HYPERLINK("http://x")'


def test_a_sealed_bid_is_never_exported(browser, session):
    maker, supplier = make_manufacturer(session), make_supplier(session)
    need = make_need(session, maker, deadline_at=utcnow() + timedelta(days=3))
    make_bid(session, supplier, need, approach="SEALEDAPPROACH")
    session.commit()
    staff = make_staff(session)
    for user in (maker, staff):
        browser.login(user)
        for path in ("/exports/bids.csv", "/exports/bids.jsonl", "/api/exports/audit"):
            assert "SEALEDAPPROACH" not in browser.get(path).text, (user.role, path)
    browser.login(supplier)  # its own bid, always
    assert [b["approach"] for b in lines(browser.get("/exports/bids.jsonl"))] == ["SEALEDAPPROACH"]
    pass_deadline(session, need)
    for user in (maker, staff):
        browser.login(user)
        assert [b["approach"] for b in lines(browser.get("/exports/bids.jsonl"))] == [
            "SEALEDAPPROACH"
        ]
    browser.login(make_manufacturer(session, name="남의공장"))
    assert lines(browser.get("/exports/bids.jsonl")) == []


def test_rows_are_read_in_batches_and_written_as_they_arrive(session):
    maker, supplier = make_manufacturer(session), make_supplier(session)
    for n in range(5):
        make_engagement(session, maker, supplier, title=f"과제 {n}")
    session.flush()
    selects: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    kind, filters = KINDS["engagements"], KINDS["engagements"].filters()
    batches = service.batches(session, kind, maker, filters, "ko", size=2)
    out = service.csv_lines(kind, batches, "ko")
    event.listen(session.connection(), "before_cursor_execute", count)
    try:
        assert next(out).startswith("\ufeff프로젝트")  # the header, before any row is read
        assert selects == []
        first = next(out)
        after_first = len(selects)
        rest = list(out)
    finally:
        event.remove(session.connection(), "before_cursor_execute", count)
    assert first.count("\r\n") == 2 and len(rest) == 2  # batches of 2, 2 and 1
    assert len(selects) > after_first  # later batches were loaded after the first was written


def test_needs_suppliers_results_and_audit_follow_their_pages(browser, session):
    maker, supplier = make_manufacturer(session), make_supplier(session, "비전공급사")
    make_supplier(session, "신청공급사", membership=Membership.applied)
    make_need(session, maker, title="초안 수요", status=NeedStatus.draft)
    engagement = make_engagement(session, maker, supplier, title="공개 수요")
    engagement.kpis[0].results.append(
        KpiResult(phase=ResultPhase.demonstration, value=1.5, verified_at=utcnow())
    )
    session.commit()
    browser.login(maker)
    drafts = lines(browser.get("/exports/needs.jsonl?status=draft"))
    assert [n["title"] for n in drafts] == ["초안 수요"]
    results = lines(browser.get("/exports/kpi_results.jsonl"))
    assert [(r["metric"], r["value"], r["baseline"]) for r in results] == [
        ("defect_rate", 1.5, 3.0)
    ]
    staff = make_staff(session)
    audit_log.record(
        session, staff, "need.published", engagement.need, after={"region": "gn-gimhae"}
    )
    session.commit()
    browser.login(staff)
    applied = lines(browser.get("/exports/suppliers.jsonl?membership=applied"))
    assert [s["name"] for s in applied] == ["신청공급사"]
    assert "비전공급사" in {s["name"] for s in lines(browser.get("/exports/suppliers.jsonl"))}
    audit = rows(browser.get(f"/exports/audit.csv?organization_id={maker.organization_id}"))
    assert audit[0][:3] == ["일시", "작업", "유형"]
    assert len(audit) > 1 and all(r[4] == maker.organization.name for r in audit[1:])
    # the same words as the audit page, one renderer: no codes, no ids, Seoul time
    assert all("." not in r[1] and r[0].endswith("+09:00") for r in audit[1:])
    assert any("김해" in r[6] and "gn-gimhae" not in r[6] for r in audit[1:])
    assert browser.get(
        f"/coordinator/audit.csv?organization_id={maker.organization_id}"
    ).content == (
        browser.get(f"/exports/audit.csv?organization_id={maker.organization_id}").content
    )
    fields = lines(browser.get(f"/exports/audit.jsonl?organization_id={maker.organization_id}"))
    assert {f["organization_id"] for f in fields} == {maker.organization_id}
    assert all("." in f["action_code"] and f["action"] != f["action_code"] for f in fields)


def test_the_list_pages_link_their_export_with_their_filters(browser, session):
    browser.login(make_staff(session))
    page = browser.get("/engagements?stage=design&page=2").text
    assert 'href="/exports/engagements.csv?stage=design"' in page
    assert 'href="/exports/needs.csv?status=open"' in browser.get("/needs?status=open").text


def test_payments_export_to_staff_and_the_parties_only(browser, session):
    from app.agreements import payments
    from tests.agreements.helpers import priced, tranche

    c = priced(session, agreed=True)
    payments.record_payment(session, c.coordinator, c.engagement.id, tranche(c, 40_000_000))
    session.commit()
    for viewer in (c.coordinator, c.manufacturer, c.supplier):
        browser.login(viewer)
        table = rows(browser.get(f"/exports/payments.csv?engagement_id={c.engagement.id}"))
        assert table[0][:3] == ["지급", "프로젝트", "마일스톤"]
        assert [(r[3], r[4], r[6]) for r in table[1:]] == [
            ("정부지원금 지급", "40000000", "AI바우처-2026-0042")
        ]
    browser.login(c.stranger)
    assert lines(browser.api("GET", "/api/exports/payments?format=jsonl")) == []


def test_the_csv_has_codes_in_words_and_the_json_lines_keep_the_codes(browser, session):
    """Sector, region, status, stage, KPI metric and unit read as the pages word them in the
    reader's language; machines get the codes in JSON Lines."""
    maker, supplier = make_manufacturer(session), make_supplier(session, "비전공급사")
    engagement = make_engagement(session, maker, supplier, title="공개 수요")
    engagement.kpis[0].results.append(
        KpiResult(phase=ResultPhase.demonstration, value=1.5, verified_at=utcnow())
    )
    session.commit()
    browser.login(make_staff(session))
    needs = rows(browser.get("/exports/needs.csv"))
    head, row = needs[0], next(r for r in needs[1:] if r[1] == "공개 수요")
    cell = dict(zip(head, row, strict=True))
    assert cell["상태"] == "마감" and cell["지역"] == "경남 창원시", cell
    assert "gn-" not in ";".join(row) and "defect_rate" not in ";".join(row)
    [coded] = [n for n in lines(browser.get("/exports/needs.jsonl")) if n["title"] == "공개 수요"]
    assert coded["status"] == "closed" and coded["region"].startswith("gn-")
    results = rows(browser.get("/exports/kpi_results.csv"))
    result = dict(zip(results[0], results[1], strict=True))
    assert result["KPI"] == "불량률" and result["단위"] == "%" and result["시점"] == "실증 후"
    engagements = rows(browser.get("/exports/engagements.csv"))
    assert engagements[1][5] == "컨설팅"
