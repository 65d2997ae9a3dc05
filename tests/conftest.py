"""Test fixtures: schema from Alembic once per session; each test in a rolled-back transaction.

DATABASE_URL picks the backend (SQLite in a temp folder by default; CI also runs PostgreSQL).
"""

import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="axmatch-test-"))
os.environ.setdefault("AXMATCH_ENV", "test")
os.environ["AXMATCH_DATA_DIR"] = str(_TMP)
os.environ.setdefault("AXMATCH_EMBEDDING_MODEL", "fake")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_TMP / 'test.db'}")

import pytest  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import Connection, Engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import audit, audit_labels  # noqa: E402
from app.config import Settings, get_settings  # noqa: E402
from app.db import Database, make_engine  # noqa: E402
from app.main import create_app  # noqa: E402
from app.models import AuditEntry, Base  # noqa: E402
from tests.builders import Browser  # noqa: E402


def _labelled(session: Session, entry: AuditEntry, entity: Base) -> None:
    """Every entry any test records has its action and field keys named in
    app/audit_labels.py (the audit log shows words, never codes)."""
    keys = {*(entry.before or {}), *(entry.after or {})}
    assert entry.action in audit_labels.ACTIONS, f"label the action {entry.action!r}"
    assert keys <= set(audit_labels.FIELDS), f"label the fields {keys - set(audit_labels.FIELDS)}"


audit.listen(_labelled)


def migrate(url: str, revision: str = "head", down: bool = False) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(str(Path(__file__).parent.parent / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    (command.downgrade if down else command.upgrade)(config, revision)


def reset_postgres(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def settings() -> Settings:
    return get_settings()


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.database_url)
    if engine.dialect.name == "postgresql":
        reset_postgres(engine)
    migrate(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def database(engine: Engine, connection: Connection) -> Database:
    db = Database(engine)
    db.bind_to(connection)
    return db


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """A session for arranging and checking data, inside the test's outer transaction."""
    with database.write() as s:
        yield s
        s.flush()


@pytest.fixture
def app(settings: Settings, database: Database, tmp_path: Path) -> FastAPI:
    """A fresh app per test, with its own data folder (so its own index cache)."""
    return create_app(settings.model_copy(update={"data_dir": tmp_path}), database=database)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as c:
        yield c


@pytest.fixture
def browser(client: TestClient, session: Session) -> Browser:
    """A test client that logs users in and sends CSRF tokens with forms."""
    return Browser(client, session)


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of its own (for migrations, concurrency): the shared schema stays."""
    url = make_url(os.environ["DATABASE_URL"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    name = f"{url.database}_scratch"  # per test database, so parallel runs never share one
    admin = make_engine(url.render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    yield url.set(database=name).render_as_string(hide_password=False)


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
