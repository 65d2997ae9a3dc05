"""The KPI units revision: typed spellings become codes, unknown ones stay and are reported,
and the downgrade writes each code's Korean label (SQLite and PostgreSQL alike)."""

import importlib.util
import logging

from alembic import command
from sqlalchemy import text

from app import vocab
from app.db import Database
from seed.loader import load_demo
from tests.test_migrations import ROOT, alembic_config

BEFORE = "2026_12_03_money_agreements"
UNITS = "2026_12_06_fmt_kpi_units"
TYPED = ["만원/year", "만원/년", " H/Year ", "%", "%(폐기율)", "건/월", "개/월"]


def units(db: Database, table: str) -> list[str]:
    with db.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT unit FROM {table} ORDER BY id")).scalars()
        return list(rows)


def test_units_become_codes_and_unknown_ones_are_kept(scratch_url: str, caplog) -> None:
    config = alembic_config(scratch_url)
    command.upgrade(config, BEFORE)
    db = Database.from_url(scratch_url)
    with db.transaction() as session:
        load_demo(session)
    with db.engine.begin() as conn:
        ids = conn.execute(text("SELECT id FROM need_kpis ORDER BY id")).scalars().all()
        for kpi_id, typed in zip(ids, TYPED, strict=False):
            conn.execute(
                text("UPDATE need_kpis SET unit = :u WHERE id = :i"), {"u": typed, "i": kpi_id}
            )
    with caplog.at_level(logging.WARNING):
        command.upgrade(config, UNITS)
    first = units(db, "need_kpis")[: len(TYPED)]
    assert first == [
        "manwon_per_year",
        "manwon_per_year",
        "hours_per_year",
        "percent",
        "%(폐기율)",
        "count_per_month",
        "count_per_month",
    ]
    assert "%(폐기율)" in caplog.text  # reported, not guessed
    command.downgrade(config, BEFORE)
    assert units(db, "need_kpis")[:4] == ["만원/년", "만원/년", "시간/년", "%"]
    db.engine.dispose()


def test_the_spellings_match_the_vocabulary() -> None:
    """The revision carries a copy of the spellings (migrations are static): they agree."""
    path = ROOT / "migrations" / "versions" / f"{UNITS}.py"
    spec = importlib.util.spec_from_file_location(UNITS, path)
    assert spec is not None and spec.loader is not None
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)
    assert revision.SPELLINGS == vocab.UNIT_SPELLINGS
    assert {code: term.ko for code, term in vocab.KPI_UNITS.items()} == revision.LABELS
    assert all(code in vocab.KPI_UNITS for code in vocab.UNIT_SPELLINGS.values())
