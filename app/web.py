"""Template environment, page rendering and form parsing shared by every feature."""

import base64
import binascii
import csv
import hashlib
import hmac
import io
import ipaddress
import itertools
import json
import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app import formats, vocab
from app.db import unique_or_conflict
from app.errors import AppError
from app.i18n import DEFAULT_LOCALE, Msgid, gettext, normalize_locale, template_gettext
from app.models import utcnow
from app.money import manwon, won

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
M = TypeVar("M", bound=BaseModel)
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

env = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
env.globals["vocab"] = vocab


def export_url(name: str, fmt: str, params: Mapping[str, Any]) -> str:
    """A list page's download link (app/exports), carrying its filters but not its paging."""
    kept = {k: v for k, v in params.items() if v and k not in ("page", "per_page")}
    return f"/exports/{name}.{fmt}" + (f"?{urlencode(kept)}" if kept else "")


env.globals["export_url"] = export_url


def lines(text: str | None) -> Markup:
    """User text with its line breaks kept: escaped first, then each break becomes <br>."""
    return Markup("<br>\n").join(escape(line) for line in (text or "").splitlines())


env.filters["lines"] = lines
env.filters["money"] = manwon  # bids, budgets: 만원
env.filters["won"] = won


def _in_locale(format_: Callable[..., str]) -> Callable[..., str]:
    """A formatter as a filter that reads the page's locale: `{{ need.deadline_at | when }}`."""

    @pass_context
    def filter_(context: Context, value: Any, *args: Any) -> str:
        return format_(value, *args, locale=context.get("locale", DEFAULT_LOCALE))

    return filter_


def _countdown(value: datetime | None, locale: str) -> str:
    return formats.countdown(value, utcnow(), locale)


def _digits(format_: Callable[..., str]) -> Callable[..., str]:
    return lambda value, digits=1, *, locale: format_(value, locale, digits)


for _name, _format in {
    "when": formats.when,
    "day": formats.day,
    "number": _digits(formats.number),
    "signed": _digits(formats.signed),
    "unit": formats.unit,
    "measure": lambda value, code, *, locale: formats.measure(value, code, locale),
    "countdown": _countdown,
}.items():
    env.filters[_name] = _in_locale(_format)


def request_locale(request: Request) -> str:
    viewer = getattr(request.state, "viewer", None)
    if viewer is not None:
        return normalize_locale(viewer.locale)
    return normalize_locale(request.cookies.get("lang"))


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    locale = request_locale(request)
    csrf = request.scope.get("csrftoken")
    flashed = _flashed(request, locale)
    ctx = {
        "flash": flashed,
        "request": request,
        "user": getattr(request.state, "user", None),
        "viewer": getattr(request.state, "viewer", None),
        "locale": locale,
        "_": template_gettext(locale),
        "gettext": template_gettext(locale),
        "csrftoken": csrf() if csrf else "",
        "label": lambda terms, code: terms[code].label(locale) if code in terms else code,
        **(context or {}),
    }
    response = HTMLResponse(env.get_template(name).render(ctx), status_code=status_code)
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


# Feedback after an action: a one-time message carried to the next page in a signed cookie
# (no server-side session exists), shown by `render` once and then cleared.
FLASH_COOKIE = "flash"


def _signature(request: Request, value: str) -> str:
    key = request.app.state.settings.secret_key.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def flash(request: Request, url: str, message: Msgid, **params: str | int) -> Response:
    """A 303 to `url` whose page shows `message` (an English msgid) once, in the reader's
    language; the cookie is signed so no other site can plant words on our pages."""
    value = base64.urlsafe_b64encode(json.dumps([message, params]).encode()).decode()
    response = redirect(url)
    response.set_cookie(
        FLASH_COOKIE,
        f"{value}.{_signature(request, value)}",
        max_age=120,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.cookie_secure or request.url.scheme == "https",
    )
    return response


def _flashed(request: Request, locale: str) -> str | None:
    value, _, signature = request.cookies.get(FLASH_COOKIE, "").partition(".")
    if not value or not hmac.compare_digest(signature, _signature(request, value)):
        return None
    try:
        message, params = json.loads(base64.urlsafe_b64decode(value))
    except (ValueError, binascii.Error):
        return None
    return gettext(locale, str(message), **params) if isinstance(params, dict) else None


@dataclass(frozen=True)
class Ask:
    """A confirmation step's words, English msgids formatted with `params`: what the action
    does and who is told; `back` is where cancelling leads."""

    title: Msgid
    happens: Msgid
    told: Msgid
    back: str
    params: dict[str, Any] = field(default_factory=dict)
    button: Msgid = Msgid("Confirm")


CONFIRM_FIELD = "confirm"


def confirmed(form: FormData) -> bool:
    return form.get(CONFIRM_FIELD) == "1"


def confirm_step(request: Request, form: FormData, ask: Ask) -> HTMLResponse | None:
    """Irreversible page actions run in two posts: without confirm=1 this returns the
    confirmation page (the same fields posted again to the same URL with confirm=1, and a
    cancel link); with it, None, and the handler acts. Works without JavaScript."""
    if confirmed(form):
        return None
    locale = request_locale(request)
    fields = [
        (k, v)
        for k, v in form.multi_items()
        if isinstance(v, str) and k not in ("csrftoken", CONFIRM_FIELD)
    ]
    words = {
        name: gettext(locale, getattr(ask, name), **ask.params)
        for name in ("title", "happens", "told")
    }
    context = {"ask": ask, "words": words, "fields": fields, "action": request.url.path}
    return render(request, "confirm.html", context)


@lru_cache
def _networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: Request) -> str:
    """The client's address, for throttling: the peer's own, unless the peer is one of
    AXMATCH_TRUSTED_PROXIES; then the nearest X-Forwarded-For entry that is not a trusted
    proxy (entries further left were written by the client and prove nothing)."""
    peer = request.client.host if request.client else "unknown"
    networks = _networks(tuple(request.app.state.settings.trusted_proxies))
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [h.strip() for v in request.headers.getlist("x-forwarded-for") for h in v.split(",")]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop[:64] if hop else peer
    return hops[0][:64] if hops else peer


def accepts_uploads() -> None:
    """A route dependency that marks a route taking file uploads: its body may be as large as
    AXMATCH_MAX_UPLOAD_BYTES instead of AXMATCH_MAX_BODY_BYTES (see `app.main.body_limits`)."""


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def read_form(request: Request) -> AsyncIterator[FormData]:
    """The request's form, awaited here so that page handlers can be plain `def`: FastAPI then
    runs them (and their synchronous database work) in the thread pool, off the event loop.
    Uploaded files in it are closed (their temporary files removed) once the handler is done."""
    form = await request.form()
    try:
        yield form
    finally:
        await form.close()


Form = Annotated[FormData, Depends(read_form)]
Again = Callable[[dict[str, str], int], Response]


def _whole_form(_: AppError) -> str:
    return "__all__"


def submit(
    request: Request,
    session: Session,
    model: type[M],
    data: dict[str, Any],
    act: Callable[[M], Response | str],
    again: Again,
    *,
    field: Callable[[AppError], str] = _whole_form,
    ask: Callable[[M], Response | None] | None = None,
) -> Response:
    """The form round trip: validate `data` with the API's `model`; invalid -> `again(errors,
    422)`. Valid -> `act(parsed)` in a savepoint, flushed before it ends: a refusal (any
    AppError, or a unique key lost to a simultaneous request, a Conflict) undoes what it wrote
    and re-renders with its message (under `field(exc)`) at its status; success returns act's
    response, or a 303 to the URL it returns (post/redirect/get). `ask(parsed)`, if given,
    runs between validation and action: a response from it (a confirmation step) is returned
    instead of acting."""
    locale = request_locale(request)
    parsed, errors = validate_form(model, data, locale)
    if parsed is None:
        return again(errors, 422)
    try:
        if ask is not None and (page := ask(parsed)) is not None:
            _rehearse(session, act, parsed)
            return page
        with unique_or_conflict(session):
            done = act(parsed)
    except AppError as exc:
        return again({field(exc): gettext(locale, exc.message, **exc.params)}, exc.status)
    return redirect(done) if isinstance(done, str) else done


class _Rehearsed(Exception):
    """Raised at the end of a rehearsal so its savepoint is always undone."""


def _rehearse(session: Session, act: Callable[[M], object], parsed: M) -> None:
    """Run the action once in a savepoint that is always rolled back, so that a refusal
    (not this user's, already done, not yet possible) is shown before the confirmation
    page, never after the user confirmed; a refusal raises its AppError."""
    try:
        with unique_or_conflict(session):
            act(parsed)
            session.flush()
            raise _Rehearsed
    except _Rehearsed:
        pass


def form_dict(form: FormData, list_fields: tuple[str, ...] = ()) -> dict[str, Any]:
    """Form fields as a dict for a Pydantic model: empty strings become None, lists stay lists."""
    data: dict[str, Any] = {}
    for key in form:
        if key in ("csrftoken", CONFIRM_FIELD):
            continue
        if key in list_fields:
            data[key] = [v for v in form.getlist(key) if isinstance(v, str) and v.strip()]
        else:
            value = form.get(key)
            data[key] = value.strip() or None if isinstance(value, str) else value
    for key in list_fields:
        data.setdefault(key, [])
    return data


def validate_form(
    model: type[M], data: dict[str, Any], locale: str
) -> tuple[M | None, dict[str, str]]:
    """Validate with the API's model (form strings may be coerced); errors keyed by field."""
    try:
        return model.model_validate(data, strict=False), {}
    except ValidationError as exc:
        return None, field_errors(exc, locale)


def field_errors(exc: ValidationError, locale: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "__all__"
        errors.setdefault(field, error_message(err, locale))
    return errors


def error_message(err: Any, locale: str) -> str:
    ctx = err.get("ctx") or {}
    kind = err["type"]
    if kind == "missing":
        return gettext(locale, "This field is required.")
    if kind == "string_too_long":
        return gettext(locale, "At most %(n)s characters.", n=ctx.get("max_length"))
    if kind == "string_too_short":
        return gettext(locale, "At least %(n)s characters.", n=ctx.get("min_length"))
    if kind in ("less_than_equal", "less_than"):
        return gettext(locale, "Must be at most %(n)s.", n=ctx.get("le", ctx.get("lt")))
    if kind in ("greater_than_equal", "greater_than"):
        return gettext(locale, "Must be at least %(n)s.", n=ctx.get("ge", ctx.get("gt")))
    if kind in ("int_parsing", "int_type", "float_parsing", "float_type", "int_from_float"):
        return gettext(locale, "Enter a number.")
    if kind in ("literal_error", "enum"):
        return gettext(locale, "Choose one of the listed options.")
    if kind == "value_error":
        return gettext(locale, str(ctx.get("error", err["msg"])))
    return gettext(locale, "This value is not valid.")


# OWASP's rule against CSV (formula) injection: a spreadsheet runs a cell that starts with one
# of these, so such a cell starts with a quote instead. Plain numbers (e.g. -100) stay numbers.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def csv_cell(value: str) -> str:
    if value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_lines(head: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """The CSV text, a row at a time: a byte-order mark first (so Excel reads Korean),
    CRLF line ends, every cell through `csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for number, row in enumerate(itertools.chain([head], rows)):
        writer.writerow([csv_cell(c) for c in row])
        yield ("\ufeff" if number == 0 else "") + buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_stream(head: list[str], rows: Iterable[list[str]], filename: str) -> StreamingResponse:
    """The streamed CSV download: `csv_response`'s format, written as `rows` is read, so a
    long export (the audit log) never sits in memory. A reusable writer: other exports
    (needs, bids, ...) can stream through it with their own header and rows."""
    return StreamingResponse(
        (line.encode("utf-8") for line in csv_lines(head, rows)),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}.csv"'},
    )


def csv_response(head: list[str], rows: Iterable[list[str]], filename: str) -> Response:
    """The one CSV writer: UTF-8 with a byte-order mark (so Excel reads Korean), every cell
    through `csv_cell`, offered as a download named `filename`.csv."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c in head])
    writer.writerows([csv_cell(c) for c in row] for row in rows)
    return Response(
        "\ufeff" + buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}.csv"'},
    )
