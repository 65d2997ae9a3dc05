"""Shared page plumbing: handlers run off the event loop; the form round trip."""

import ast
import inspect
from pathlib import Path

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.schemas import TokenIn
from app.errors import Conflict
from app.main import ROUTERS
from app.models import Organization, OrgKind
from app.web import submit

APP_DIR = Path(__file__).resolve().parent.parent / "app"


def test_no_route_handler_is_a_coroutine() -> None:
    """A coroutine handler runs its synchronous database work on the event loop, stalling
    every other request of the worker; forms are awaited by the `Form` dependency instead."""
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    assert len(routes) > 100
    assert [r.path for r in routes if inspect.iscoroutinefunction(r.endpoint)] == []


def test_no_page_module_awaits_the_request_form() -> None:
    awaited = []
    for path in APP_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Await) and "request.form" in ast.unparse(node):
                awaited.append(f"{path.relative_to(APP_DIR)}:{node.lineno}")
    assert {a.split(":")[0] for a in awaited} == {"web.py"}, awaited


def _request() -> Request:
    return Request({"type": "http", "method": "POST", "headers": [], "query_string": b""})


def _again(errors: dict[str, str], status: int) -> Response:
    return JSONResponse(errors, status_code=status)


def test_a_refused_form_keeps_nothing_it_wrote(session: Session) -> None:
    def act(parsed: TokenIn) -> str:
        session.add(Organization(kind=OrgKind.manufacturer, name=parsed.name))
        session.flush()
        raise Conflict("A closed need is read-only.")

    response = submit(_request(), session, TokenIn, {"name": "반쯤 쓴 기록"}, act, _again)
    assert response.status_code == 409
    assert "__all__" in response.body.decode()
    assert session.scalar(select(Organization).where(Organization.name == "반쯤 쓴 기록")) is None


def test_an_invalid_form_is_a_422_and_success_a_303(session: Session) -> None:
    def act(parsed: TokenIn) -> str:
        return "/done"

    assert submit(_request(), session, TokenIn, {}, act, _again).status_code == 422
    done = submit(_request(), session, TokenIn, {"name": "ok"}, act, _again)
    assert (done.status_code, done.headers["location"]) == (303, "/done")
