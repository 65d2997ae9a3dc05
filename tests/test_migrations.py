"""Alembic: upgrade, downgrade to base and upgrade again on a database holding seed data;
the models and the migrations agree (`alembic check`)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import func, inspect, select

from app.db import Database
from app.models import Need, Organization
from seed.loader import load_demo

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    return config


def test_upgrade_downgrade_upgrade_with_seed_data(scratch_url: str) -> None:
    config = alembic_config(scratch_url)
    command.upgrade(config, "head")
    db = Database.from_url(scratch_url)
    with db.transaction() as session:
        load_demo(session)
    command.downgrade(config, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")
    command.check(config)
    with db.transaction() as session:
        assert session.scalar(select(func.count(Organization.id))) == 0
    db.engine.dispose()


def test_seed_twice_changes_nothing(scratch_url: str) -> None:
    command.upgrade(alembic_config(scratch_url), "head")
    db = Database.from_url(scratch_url)
    with db.transaction() as session:
        first = load_demo(session)
    with db.transaction() as session:
        second = load_demo(session)
        orgs = session.scalar(select(func.count(Organization.id)))
        needs = session.scalar(select(func.count(Need.id)))
    assert first["suppliers"] >= 80 and first["manufacturers"] >= 200 and first["needs"] >= 30
    assert all(v == 0 for v in second.values())
    assert first["sponsors"] == 1 and first["cohort_members"] == 40
    assert first["readiness_routed"] > 0
    support_group = 1
    expected_orgs = first["suppliers"] + first["manufacturers"] + first["sponsors"] + support_group
    assert orgs == expected_orgs and needs == first["needs"]
    db.engine.dispose()


def test_the_accounts_revision_marks_existing_users_verified(scratch_url: str) -> None:
    """Users from before e-mail confirmation existed (seed, invited, staff) are confirmed."""
    from sqlalchemy import text

    config = alembic_config(scratch_url)
    command.upgrade(config, "2026_12_02_fit_levels")
    db = Database.from_url(scratch_url)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organizations (kind, name, created_at, version) "
                "VALUES ('manufacturer', '옛공장', CURRENT_TIMESTAMP, 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO users (organization_id, email, password_hash, name, role, locale,"
                " is_active, created_at) SELECT id, 'old@x.example.kr', 'h', '옛사용자',"
                " 'manufacturer', 'ko', true, CURRENT_TIMESTAMP FROM organizations"
            )
        )
    command.upgrade(config, "head")
    with db.engine.connect() as conn:
        verified = conn.execute(text("SELECT email_verified_at FROM users")).scalar()
        numbers = conn.execute(text("SELECT business_number FROM organizations")).scalar()
    assert verified is not None and numbers is None
    db.engine.dispose()
