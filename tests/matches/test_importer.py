import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.matches.importer import InvalidImport, import_files
from app.models import Need, Organization, SupplierProfile

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
    "description": "찍힘 불량을 검사합니다.",
    "language": "ko",
    "relevant": {"s-1": 2},
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


def test_import_is_idempotent_by_external_id(session, tmp_path) -> None:
    suppliers = write(tmp_path / "s.jsonl", [SUPPLIER])
    needs = write(tmp_path / "n.jsonl", [NEED])
    import_files(session, suppliers=suppliers, needs=needs)
    first = counts(session)
    import_files(session, suppliers=suppliers, needs=needs)
    assert counts(session) == first == (2, 1, 1)
    profile = session.scalar(select(SupplierProfile))
    assert profile.description_en == "Deep-learning inspection." and len(profile.case_studies) == 1


def test_bad_lines_are_reported_with_numbers_and_nothing_is_written(session, tmp_path) -> None:
    bad = write(tmp_path / "s.jsonl", [SUPPLIER, "{not json", {"external_id": "s-2"}])
    with pytest.raises(InvalidImport) as raised:
        import_files(session, suppliers=bad)
    assert [p.split(":")[1] for p in raised.value.problems] == ["2", "3"]
    assert counts(session) == (0, 0, 0)


def test_need_for_unknown_manufacturer_is_refused(session, tmp_path) -> None:
    needs = write(tmp_path / "n.jsonl", [{**NEED, "manufacturer": "nobody"}])
    with pytest.raises(InvalidImport):
        import_files(session, needs=needs)


def test_control_characters_in_import_fields_refuse_the_whole_import(session, tmp_path) -> None:
    needs = write(tmp_path / "n.jsonl", [{**NEED, "title": "프레스\r\nBcc: all@x.kr"}])
    suppliers = write(tmp_path / "s.jsonl", [SUPPLIER, {**SUPPLIER, "external_id": "s-2\x1b"}])
    for files in ({"needs": needs}, {"suppliers": suppliers}):
        with pytest.raises(InvalidImport) as raised:
            import_files(session, **files)
        assert raised.value.problems and all("one line" in p for p in raised.value.problems)
    assert counts(session) == (0, 0, 0)


def test_need_specialties_are_imported_and_checked_against_the_vocabulary(
    session, tmp_path
) -> None:
    good = {**NEED, "specialties": ["machine_vision", "mfg_ai"]}
    bad = {**NEED, "external_id": "n-2", "specialties": ["machine_vision", "telepathy"]}
    with pytest.raises(InvalidImport) as raised:
        import_files(session, needs=write(tmp_path / "bad.jsonl", [good, bad]))
    (problem,) = raised.value.problems
    assert problem.startswith("bad.jsonl:2: specialties.1")
    assert counts(session) == (0, 0, 0)
    import_files(session, needs=write(tmp_path / "n.jsonl", [good]))
    assert session.scalar(select(Need)).specialties == ["machine_vision", "mfg_ai"]
