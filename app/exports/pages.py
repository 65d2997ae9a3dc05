"""The download links of the list pages: /exports/<kind>.csv and /exports/<kind>.jsonl with
the page's filters, the same stream as the API (errors as HTML pages)."""

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from app.auth import CurrentUser, DbSession, roles
from app.exports.api import respond
from app.exports.kinds import KIND_LIST, ExportKind
from app.exports.service import Format

router = APIRouter()


def _route(kind: ExportKind, fmt: Format) -> Callable[..., StreamingResponse]:
    def export(request: Request, session: DbSession, user: CurrentUser) -> StreamingResponse:
        return respond(request, kind, user, fmt)

    return export


for _kind in KIND_LIST:
    for _fmt in ("csv", "jsonl"):
        router.add_api_route(
            f"/exports/{_kind.name}.{_fmt}",
            _route(_kind, _fmt),  # type: ignore[arg-type]
            methods=["GET"],
            dependencies=roles(*_kind.roles),
            name=f"export_{_kind.name}_{_fmt}",
        )
