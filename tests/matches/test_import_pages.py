"""The coordinators' CSV import: the same validation as `axmatch import` (one code path),
problems by line, a dry run that writes nothing, a real run that writes and audits."""

from sqlalchemy import func, select

from app.models import AuditEntry, Membership, Organization
from tests.builders import make_manufacturer, make_staff, parse

HEAD = "\ufeffexternal_id,name,region,specialties,capacity\r\n"
GOOD = HEAD + "s-1,비전공급사,gn-changwon,machine_vision;mfg_ai,3\r\ns-2,설비공급사,,,\r\n"
BAD = HEAD + "s-1,비전공급사,atlantis,machine_vision,3\r\ns-2,설비공급사,,robots,\r\n"


def send(browser, csv_text: str, **fields):  # type: ignore[no-untyped-def]
    form = {"csrftoken": browser.csrf(), "kind": "suppliers", **fields}
    files = {"file": ("suppliers.csv", csv_text.encode("utf-8"), "text/csv")}
    return browser.client.post("/coordinator/import", data=form, files=files)


def imported(session) -> int:  # type: ignore[no-untyped-def]
    query = select(func.count()).where(Organization.external_id.in_(["s-1", "s-2"]))
    return session.scalar(query.select_from(Organization))


def test_a_dry_run_checks_every_line_and_writes_nothing(browser, session):
    browser.login(make_staff(session))
    response = send(browser, GOOD, dry_run="1")
    assert response.status_code == 200
    assert "2" in parse(response.text).texts["import-done"]
    assert imported(session) == 0
    audited = select(func.count()).where(AuditEntry.action == "supplier.imported")
    assert session.scalar(audited.select_from(AuditEntry)) == 0


def test_problems_are_reported_by_line_in_the_readers_language(browser, session):
    staff = make_staff(session)
    browser.login(staff)
    korean = parse(send(browser, BAD, dry_run="1").text).texts["import-problems"]
    assert "suppliers.csv:2: region: 알 수 없는 코드 'atlantis'" in korean
    assert "unknown" not in korean
    staff.locale = "en"
    session.commit()
    response = send(browser, BAD, dry_run="1")
    assert response.status_code == 422
    problems = parse(response.text).texts["import-problems"]
    assert "suppliers.csv:2: region: unknown code 'atlantis'" in problems
    assert "suppliers.csv:3: specialties.0: unknown code 'robots'" in problems
    extra = send(browser, HEAD + "s-3,공급사,,,,뭔가\r\n", dry_run="1")
    assert (
        "suppliers.csv:2: (extra cells): unknown field"
        in parse(extra.text).texts["import-problems"]
    )
    assert send(browser, HEAD + "s-3,짧은줄\r\n", dry_run="1").status_code == 200
    assert imported(session) == 0


def test_a_real_run_imports_as_applied_and_audits(browser, session):
    browser.login(make_staff(session))
    assert send(browser, GOOD).status_code == 200
    orgs = session.scalars(select(Organization).where(Organization.external_id == "s-1"))
    supplier = orgs.one().supplier
    assert supplier.membership is Membership.applied
    assert supplier.specialties == ["machine_vision", "mfg_ai"] and supplier.capacity == 3
    audited = select(func.count()).where(AuditEntry.action == "supplier.imported")
    assert session.scalar(audited.select_from(AuditEntry)) == 2


def test_manufacturers_and_refusals(browser, session):
    browser.login(make_manufacturer(session))
    assert send(browser, GOOD).status_code == 403
    browser.login(make_staff(session))
    text = "external_id,name,sf_level\nm-1,창원정밀,basic\n"
    response = send(browser, text, kind="manufacturers")
    assert response.status_code == 200
    assert send(browser, text, kind="needs").status_code == 422
