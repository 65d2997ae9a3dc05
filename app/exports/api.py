"""JSON API exports: GET /api/exports/<kind>?format=csv|jsonl&<the list page's filters>,
one route per registered kind, each with the kind's roles at router level."""

from collections.abc import Callable
from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from app.auth import CurrentUser, DbSession, roles
from app.exports import service
from app.exports.kinds import KIND_LIST, ExportKind
from app.web import request_locale

router = APIRouter(prefix="/api", tags=["exports"])


def respond(
    request: Request, kind: ExportKind, user: CurrentUser, fmt: service.Format
) -> StreamingResponse:
    params = {k: v for k, v in request.query_params.items() if k != "format"}
    filters = service.parse_filters(kind, params)
    service.check(kind, user, filters)
    body = service.stream(
        request.app.state.db, kind, user.id, filters, fmt, request_locale(request)
    )
    disposition = f'attachment; filename="{service.filename(kind, fmt)}"'
    return StreamingResponse(
        body, media_type=service.MEDIA[fmt], headers={"content-disposition": disposition}
    )


def _route(kind: ExportKind) -> Callable[..., StreamingResponse]:
    def export(
        request: Request,
        session: DbSession,
        user: CurrentUser,
        format: Literal["csv", "jsonl"] = Query("csv"),
    ) -> StreamingResponse:
        return respond(request, kind, user, format)

    export.__doc__ = f"The {kind.name} you may see, filtered as their list page is, streamed."
    return export


for _kind in KIND_LIST:
    router.add_api_route(
        f"/exports/{_kind.name}",
        _route(_kind),
        methods=["GET"],
        dependencies=roles(*_kind.roles),
        name=f"export_{_kind.name}",
        response_class=StreamingResponse,
        responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}},
    )
