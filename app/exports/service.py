"""Streaming an export: the kind's query read in batches (`yield_per`), each batch turned
into CSV or JSON Lines text as it arrives, so a large export never sits in memory whole.

The checks (role, filters, ownership inside the query) run in the request's transaction
before the response starts; the rows are read in a transaction of their own, opened by the
generator, because the request's transaction ends before the body is sent."""

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from app.audit_view import word
from app.db import Database
from app.errors import Forbidden, Invalid, NotFound
from app.exports.kinds import KINDS, Column, ExportKind
from app.formats import SEOUL
from app.i18n import gettext
from app.models import User
from app.web import csv_cell

Format = Literal["csv", "jsonl"]
BATCH = 500
MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


def kind_for(name: str, viewer: User) -> ExportKind:
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound("Export not found.")
    if viewer.role not in kind.roles:
        raise Forbidden("Your role cannot use this page.")
    return kind


def parse_filters(kind: ExportKind, params: dict[str, str]) -> BaseModel:
    """The list page's filters, from the query string (paging, if given, is ignored)."""
    try:
        return kind.filters.model_validate({k: v for k, v in params.items() if v.strip()})
    except ValidationError as exc:
        raise Invalid("These filters are not valid.") from exc


def check(kind: ExportKind, viewer: User, filters: BaseModel) -> None:
    """Build the query once in the request's transaction: a refusal is an error status,
    not a broken download."""
    kind.query(viewer, filters)


def batches(
    session: Session,
    kind: ExportKind,
    viewer: User,
    filters: BaseModel,
    locale: str,
    size: int = BATCH,
) -> Iterator[list[Any]]:
    query = kind.query(viewer, filters).execution_options(yield_per=size)
    for rows in session.scalars(query).partitions(size):
        yield kind.prepare(session, viewer, list(rows), locale)


def csv_text(value: Any, locale: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext(locale, "Yes") if value else gettext(locale, "No")
    if isinstance(value, datetime):  # ISO 8601 in Seoul time, which the readers keep
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(SEOUL).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def csv_cell_text(column: Column, row: Any, locale: str) -> str:
    """A cell for people: a coded value in words (several joined by "; "), else as is."""
    value = column.value(row)
    if column.coded is None or value is None:
        return csv_text(value, locale)
    items = value if isinstance(value, list) else [value]
    return "; ".join(word(*column.coded, item, locale) for item in items)


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([csv_cell(c) for c in cells])
    return buffer.getvalue()


def csv_lines(kind: ExportKind, rows: Iterator[list[Any]], locale: str) -> Iterator[str]:
    """UTF-8 with a byte-order mark (so Excel reads Korean), headers in the reader's language,
    every cell through the formula-injection guard."""
    columns = kind.fields("csv")
    yield "\ufeff" + _csv_line([c.header.label(locale) for c in columns])
    for batch in rows:
        yield "".join(_csv_line([csv_cell_text(c, row, locale) for c in columns]) for row in batch)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def jsonl_lines(kind: ExportKind, rows: Iterator[list[Any]]) -> Iterator[str]:
    columns = kind.fields("jsonl")
    for batch in rows:
        yield "".join(
            json.dumps({c.key: _json(c.value(row)) for c in columns}, ensure_ascii=False) + "\n"
            for row in batch
        )


def stream(
    db: Database, kind: ExportKind, user_id: int, filters: BaseModel, fmt: Format, locale: str
) -> Iterator[bytes]:
    """The response body: its own read transaction, the viewer loaded again inside it."""
    with db.transaction(write=False) as session:
        viewer = session.get_one(User, user_id)
        rows = batches(session, kind, viewer, filters, locale)
        lines = csv_lines(kind, rows, locale) if fmt == "csv" else jsonl_lines(kind, rows)
        for text in lines:
            yield text.encode("utf-8")


def filename(kind: ExportKind, fmt: Format) -> str:
    return f"axmatch-{kind.name}.{fmt}"
