"""A need with a bid and an engagement with a KPI result, and helpers to upload to them."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.engagements import outcomes
from app.models import Attachment, Bid, Need, ResultPhase, Stage, User
from tests.bids.conftest import future, make_bid
from tests.builders import (
    Browser,
    make_engagement,
    make_manufacturer,
    make_need,
    make_staff,
    make_supplier,
)


@dataclass
class Market:
    owner: User
    supplier: User
    rival: User
    other_owner: User
    staff: User
    need: Need
    bid: Bid
    rival_bid: Bid


@pytest.fixture
def market(session: Session) -> Market:
    owner = make_manufacturer(session)
    supplier, rival = make_supplier(session, "제안공급사"), make_supplier(session, "경쟁공급사")
    need = make_need(session, owner, deadline_at=future())
    bid, rival_bid = make_bid(session, supplier, need), make_bid(session, rival, need)
    other = make_manufacturer(session, name="남의공장")
    session.commit()
    return Market(owner, supplier, rival, other, make_staff(session), need, bid, rival_bid)


def upload(browser: Browser, url: str, name: str, data: bytes, **form: Any):
    headers = {"x-csrftoken": browser.csrf()}
    files = {"file": (name, data, "application/octet-stream")}
    return browser.client.post(url, files=files, data=form, headers=headers)


def stored(session: Session, root: Path) -> tuple[int, int]:
    """(attachment rows, blob files) — what an upload left behind."""
    rows = session.scalar(select(func.count()).select_from(Attachment))
    blobs = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return rows or 0, len(blobs)


def kpi_result(session: Session, manufacturer: User, supplier: User):
    engagement = make_engagement(session, manufacturer, supplier)
    engagement.stage = Stage.demonstration  # results of the demonstration may be recorded
    kpi = engagement.kpis[0]
    result = outcomes.record_result(
        session, supplier, engagement.id, kpi.id, ResultPhase.demonstration, 0.8, "측정 기록"
    )
    session.commit()
    return engagement, result
