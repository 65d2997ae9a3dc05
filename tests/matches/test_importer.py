"""`axmatch import` goes through the same rules as the pages: codes checked against the
vocabularies and unknown fields refused (with the line number), every write audited with
the operator, suppliers applied unless admitted, needs published by the publish path (or
drafts), and a bad file changes nothing."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.hooks import install
from app.matches.importer import InvalidImport, import_files, operator_for
from app.models import (
    AuditEntry,
    Membership,
    Need,
    NeedStatus,
    Notification,
    Organization,
    SupplierProfile,
    utcnow,
)
from app.needs import checks
from app.notifications.schemas import SavedSearchIn
from app.notifications.searches import create_search
from tests.builders import make_staff, make_supplier

SUPPLIER = {
    "external_id": "s-1",
    "name": "Vision Co",
    "description": "Deep-learning inspection.",
    "case_studies": [{"title": "Press dents", "text": "Found dents on press parts."}],
    "specialties": ["machine_vision"],
    "industries": ["30"],
    "region": "gn-changwon",
    "language": "en",
}
NEED = {
    "external_id": "n-1",
    "title": "프레스 검사",
    "description": "찍힘 불량을 검사합니다. 프레스 라인 세 곳입니다.",
    "language": "ko",
    "relevant": {"s-1": 2},
    "status": "draft",
}
MANUFACTURER = {
    "external_id": "m-1",
    "name": "창원정밀",
    "industry": "30",
    "region": "gn-changwon",
    "sf_level": "basic",
}


def open_need(**fields: object) -> dict[str, object]:
    deadline = (utcnow() + timedelta(days=14)).isoformat()
    return {
        **NEED,
        "status": "open",
        "manufacturer": "m-1",
        "budget_min": 3000,
        "budget_max": 6000,
        "deadline_at": deadline,
        "kpis": [{"metric": "defect_rate", "unit": "%", "baseline": 3, "target": 1}],
        **fields,
    }


def write(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def counts(session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count(Organization.id))),
        session.scalar(select(func.count(SupplierProfile.id))),
        session.scalar(select(func.count(Need.id))),
    )


def audits(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def operator(session):
    install()
    return make_staff(session)


def test_import_is_idempotent_by_external_id(session, tmp_path, operator) -> None:
    before = counts(session)
    suppliers = write(tmp_path / "s.jsonl", [SUPPLIER])
    needs = write(tmp_path / "n.jsonl", [NEED])
    import_files(session, operator, suppliers=suppliers, needs=needs)
    first = counts(session)
    entries = len(list(session.scalars(select(AuditEntry))))
    import_files(session, operator, suppliers=suppliers, needs=needs)
    assert counts(session) == first == (before[0] + 2, 1, 1)
    assert len(list(session.scalars(select(AuditEntry)))) == entries  # nothing new to record
    profile = session.scalar(select(SupplierProfile))
    assert profile.description_en == "Deep-learning inspection." and len(profile.case_studies) == 1


def test_bad_lines_are_reported_with_numbers_and_nothing_is_written(
    session, tmp_path, operator
) -> None:
    before = counts(session)
    bad = write(tmp_path / "s.jsonl", [SUPPLIER, "{not json", {"external_id": "s-2"}])
    with pytest.raises(InvalidImport) as raised:
        import_files(session, operator, suppliers=bad)
    assert [p.split(":")[1] for p in raised.value.problems] == ["2", "3"]
    assert counts(session) == before


def test_codes_are_checked_against_the_vocabularies(session, tmp_path, operator) -> None:
    before = counts(session)
    lines = [
        SUPPLIER,
        {**SUPPLIER, "external_id": "s-2", "industries": ["99"]},
        {**SUPPLIER, "external_id": "s-3", "region": "atlantis"},
        {**SUPPLIER, "external_id": "s-4", "ai_techniques": ["telepathy"]},
    ]
    with pytest.raises(InvalidImport) as raised:
        import_files(session, operator, suppliers=write(tmp_path / "s.jsonl", lines))
    problems = raised.value.problems
    assert problems[0].startswith("s.jsonl:2: industries.0: unknown code '99'")
    assert problems[1].startswith("s.jsonl:3: region: unknown code 'atlantis'")
    assert problems[2].startswith("s.jsonl:4: ai_techniques.0")
    factories = [{**MANUFACTURER, "industry": "99"}, {**MANUFACTURER, "region": "atlantis"}]
    with pytest.raises(InvalidImport) as raised:
        import_files(session, operator, manufacturers=write(tmp_path / "m.jsonl", factories))
    assert [p.split(":")[1] for p in raised.value.problems] == ["1", "2"]
    needs = [{**NEED, "industry": "99"}, {**NEED, "external_id": "n-2", "region": "atlantis"}]
    with pytest.raises(InvalidImport) as raised:
        import_files(session, operator, needs=write(tmp_path / "n.jsonl", needs))
    assert [p.split(":")[1] for p in raised.value.problems] == ["1", "2"]
    assert counts(session) == before


def test_unknown_and_misspelt_fields_are_refused_with_the_line(session, tmp_path, operator) -> None:
    lines = [SUPPLIER, {**SUPPLIER, "external_id": "s-2", "specialtys": ["machine_vision"]}]
    with pytest.raises(InvalidImport) as raised:
        import_files(session, operator, suppliers=write(tmp_path / "s.jsonl", lines))
    assert raised.value.problems == ["s.jsonl:2: specialtys: unknown field"]
    with pytest.raises(InvalidImport) as raised:
        import_files(
            session, operator, needs=write(tmp_path / "n.jsonl", [{**NEED, "budjet_max": 5}])
        )
    assert raised.value.problems == ["n.jsonl:1: budjet_max: unknown field"]
    membership = {**SUPPLIER, "membership": "admitted"}  # admission is not the file's to decide
    with pytest.raises(InvalidImport):
        import_files(session, operator, suppliers=write(tmp_path / "m.jsonl", [membership]))


def test_suppliers_arrive_as_applied_with_an_audit_entry(session, tmp_path, operator) -> None:
    import_files(session, operator, suppliers=write(tmp_path / "s.jsonl", [SUPPLIER]))
    profile = session.scalar(select(SupplierProfile))
    assert profile.membership is Membership.applied
    (entry,) = audits(session, "supplier.imported")
    assert entry.actor_id == operator.id and entry.after["membership"] == "applied"
    assert audits(session, "membership.admitted") == []


def test_admit_goes_through_the_membership_move_with_the_operator_named(
    session, tmp_path, operator
) -> None:
    files = {"suppliers": write(tmp_path / "s.jsonl", [SUPPLIER])}
    import_files(session, operator, **files, admit=True)
    profile = session.scalar(select(SupplierProfile))
    assert profile.membership is Membership.admitted
    (entry,) = audits(session, "membership.admitted")
    assert entry.actor_id == operator.id and entry.reason == "axmatch import --admit"
    profile.membership = Membership.suspended
    session.flush()
    import_files(session, operator, **files, admit=True)  # never re-admits a suspended one
    assert profile.membership is Membership.suspended


def test_the_operator_must_be_an_active_coordinator_or_admin(session, operator) -> None:
    assert operator_for(session, operator.email) is operator
    supplier = make_supplier(session)
    for email in (supplier.email, "nobody@example.kr"):
        with pytest.raises(InvalidImport):
            operator_for(session, email)


def test_open_needs_go_through_the_publish_path(session, tmp_path, operator) -> None:
    watcher = make_supplier(session, "프레스AI")
    create_search(session, watcher, SavedSearchIn(name="프레스", query="프레스 찍힘 불량 검사"))
    session.flush()
    files = {
        "manufacturers": write(tmp_path / "m.jsonl", [MANUFACTURER]),
        "needs": write(tmp_path / "n.jsonl", [open_need()]),
    }
    import_files(session, operator, **files)
    need = session.scalar(select(Need).where(Need.external_id == "n-1"))
    # a new organisation's first need waits for the check (app/needs/checks.py), as on the pages
    assert need.status is NeedStatus.awaiting_check and need.published_at is None
    (asked,) = audits(session, "need.check_requested")
    assert asked.actor_id == operator.id and asked.reason == "axmatch import"
    assert not audits(session, "need.published")
    checks.approve(session, operator, need.id, None, "확인")
    assert need.status is NeedStatus.open and need.published_at is not None
    assert need.track == "readiness"  # a basic-level factory is routed to readiness first
    (published,) = audits(session, "need.published")
    assert published.actor_id == operator.id
    files["needs"] = write(tmp_path / "n2.jsonl", [open_need(external_id="n-2", title="용접")])
    import_files(session, operator, **files)
    later = session.scalar(select(Need).where(Need.external_id == "n-2"))
    assert later.status is NeedStatus.open  # once checked, later needs publish directly
    alerts = session.scalars(
        select(Notification).where(
            Notification.user_id == watcher.id, Notification.kind == "need_matched"
        )
    )
    assert f"/needs/{need.id}" in [n.link for n in alerts]


@pytest.mark.parametrize(
    "broken",
    [
        {"deadline_at": None},
        {"deadline_at": "2020-01-01T09:00:00"},
        {"budget_min": None, "budget_max": None},
        {"kpis": []},
        {"budget_min": 9000, "budget_max": 10},
    ],
)
def test_open_needs_obey_the_deadline_budget_and_kpi_rules(
    session, tmp_path, operator, broken
) -> None:
    before = counts(session)
    lines = [open_need(external_id="n-0"), open_need(**broken)]
    files = {
        "manufacturers": write(tmp_path / "m.jsonl", [MANUFACTURER]),
        "needs": write(tmp_path / "n.jsonl", lines),
    }
    with pytest.raises(InvalidImport) as raised:
        import_files(session, operator, **files)
    (problem,) = raised.value.problems
    assert problem.startswith("n.jsonl:2: ")
    assert counts(session) == before  # the manufacturer and the good need are not kept
    assert audits(session, "need.published") == []


def test_drafts_need_no_deadline_and_publish_nothing(session, tmp_path, operator) -> None:
    files = {
        "manufacturers": write(tmp_path / "m.jsonl", [MANUFACTURER]),
        "needs": write(tmp_path / "n.jsonl", [open_need(deadline_at=None, kpis=[])]),
    }
    import_files(session, operator, **files, drafts=True)
    assert session.scalar(select(Need)).status is NeedStatus.draft
    assert audits(session, "need.published") == []


def test_a_published_need_is_not_overwritten(session, tmp_path, operator) -> None:
    line = open_need()
    manufacturers = write(tmp_path / "m.jsonl", [MANUFACTURER])
    needs = write(tmp_path / "n.jsonl", [line])
    import_files(session, operator, manufacturers=manufacturers, needs=needs)
    import_files(session, operator, needs=needs)  # the same line again: nothing to do
    changed = write(tmp_path / "n2.jsonl", [{**line, "budget_max": 4000}])
    with pytest.raises(InvalidImport) as raised:
        import_files(session, operator, needs=changed)
    assert "amendment" in raised.value.problems[0]
    assert session.scalar(select(Need)).budget_max == 6000


def test_need_for_unknown_manufacturer_is_refused(session, tmp_path, operator) -> None:
    needs = write(tmp_path / "n.jsonl", [{**NEED, "manufacturer": "nobody"}])
    with pytest.raises(InvalidImport):
        import_files(session, operator, needs=needs)


def test_control_characters_in_import_fields_refuse_the_whole_import(
    session, tmp_path, operator
) -> None:
    before = counts(session)
    needs = write(tmp_path / "n.jsonl", [{**NEED, "title": "프레스\r\nBcc: all@x.kr"}])
    suppliers = write(tmp_path / "s.jsonl", [SUPPLIER, {**SUPPLIER, "external_id": "s-2\x1b"}])
    for files in ({"needs": needs}, {"suppliers": suppliers}):
        with pytest.raises(InvalidImport) as raised:
            import_files(session, operator, **files)
        assert raised.value.problems and all("one line" in p for p in raised.value.problems)
    assert counts(session) == before


def test_need_specialties_are_imported_and_checked_against_the_vocabulary(
    session, tmp_path, operator
) -> None:
    good = {**NEED, "specialties": ["machine_vision", "mfg_ai"]}
    bad = {**NEED, "external_id": "n-2", "specialties": ["machine_vision", "telepathy"]}
    with pytest.raises(InvalidImport) as raised:
        import_files(session, operator, needs=write(tmp_path / "bad.jsonl", [good, bad]))
    (problem,) = raised.value.problems
    assert problem.startswith("bad.jsonl:2: specialties.1")
    import_files(session, operator, needs=write(tmp_path / "n.jsonl", [good]))
    assert session.scalar(select(Need)).specialties == ["machine_vision", "mfg_ai"]
