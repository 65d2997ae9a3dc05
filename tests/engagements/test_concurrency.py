"""Coordinators racing on real connections: exactly one stage move wins, the rest get 409."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from alembic import command
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from app.db import Database
from app.engagements.stages import move_stage
from app.errors import Conflict
from app.models import AuditEntry, Engagement, Milestone, Stage, User
from tests.builders import make_engagement, make_manufacturer, make_staff, make_supplier
from tests.test_migrations import alembic_config

RACERS = 6


@pytest.fixture
def db(scratch_url: str) -> Database:
    command.upgrade(alembic_config(scratch_url), "head")
    database = Database.from_url(scratch_url)
    yield database
    database.engine.dispose()


def test_simultaneous_moves_have_exactly_one_winner(db: Database) -> None:
    with db.transaction() as session:
        engagement = make_engagement(session, make_manufacturer(session), make_supplier(session))
        staff = [make_staff(session).id for _ in range(RACERS)]
        design = next(s for s in engagement.stages if s.stage is Stage.design)
        design.planned_start, design.planned_end = date(2026, 1, 5), date(2026, 2, 5)
        engagement.milestones.append(Milestone(stage=Stage.design, title="설계서"))  # the plan
        session.flush()
        engagement_id, version = engagement.id, engagement.version

    def attempt(user_id: int) -> bool:
        try:
            with db.transaction() as session:
                user = session.get(User, user_id)
                move_stage(session, user, engagement_id, Stage.design, version)
        except (Conflict, StaleDataError):  # StaleDataError is answered with 409
            return False
        return True

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        results = list(pool.map(attempt, staff))
    assert results.count(True) == 1
    with db.transaction(write=False) as session:
        assert session.get(Engagement, engagement_id).stage is Stage.design
        moved = select(func.count()).where(AuditEntry.action == "engagement.moved")
        assert session.scalar(moved) == 1
