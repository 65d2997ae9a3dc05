"""A need with a bid and an engagement with a KPI result, and helpers to upload to them."""

import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
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


def _free_port() -> int:
    """A port nobody listens on now (two test runs on one machine must not share one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """A real S3-compatible server on 127.0.0.1 (moto's server mode, from PyPI): the S3
    store is tested over HTTP through boto3, as it runs in production."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_settings(s3_server: str, settings: Settings, tmp_path: Path) -> Settings:
    """Settings for the S3 store, with a bucket of this test's own."""
    import boto3

    bucket = f"axmatch-test-{uuid.uuid4().hex[:12]}"
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **keys)
    client.create_bucket(Bucket=bucket)
    return settings.model_copy(
        update={
            "data_dir": tmp_path,
            "file_store": "s3",
            "s3_bucket": bucket,
            "s3_endpoint_url": s3_server,
            "s3_region": "us-east-1",
            "s3_access_key_id": "testing",
            "s3_secret_access_key": "testing",
        }
    )
