"""HTML routes for bids: the supplier's form, history and list; the sealed comparison."""

import secrets
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from app.auth import CurrentUser, DbSession, roles
from app.bids import service
from app.bids.schemas import STAGES, BidIn, VersionIn
from app.errors import AppError
from app.files import service as files
from app.files.download import UploadsDep
from app.files.pages import upload
from app.i18n import Msgid
from app.models import AttachmentOwner, Bid, Role, User
from app.needs import service as needs
from app.schemas import RowId
from app.web import (
    Ask,
    Form,
    accepts_uploads,
    confirm_step,
    flash,
    form_dict,
    redirect,
    render,
    request_locale,
    submit,
    validate_form,
)

router = APIRouter()
SUPPLIER = roles(Role.supplier)


def parse_bid_form(form: FormData) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the user typed, for re-rendering; the data for BidIn)."""
    raw = form_dict(form, list_fields=("case_study_ids",))
    weeks = {stage: raw.pop(f"weeks-{stage}", None) for stage in STAGES}
    key = raw.pop("idempotency_key", None)
    skip = ("attachments", "subsidy_share")
    data = {k: v for k, v in raw.items() if v is not None and k not in skip}
    data.update(split_from_share(raw))
    data["timeline"] = [{"stage": s, "weeks": w} for s, w in weeks.items() if w]
    data["attachments"] = [
        x.strip() for x in (raw.get("attachments") or "").splitlines() if x.strip()
    ]
    raw.update({f"weeks-{s}": w for s, w in weeks.items()}, idempotency_key=key)
    return raw, data


def split_from_share(raw: dict[str, Any]) -> dict[str, int]:
    """Without script, subsidy and co-payment left empty are computed from the share typed
    (the programme's rounding: the subsidy rounds down; no share field: no programme, the
    manufacturer pays all); the service checks the share against the need's."""
    if raw.get("price_subsidy") is not None or raw.get("price_copay") is not None:
        return {}
    try:
        total, share = int(raw.get("price_total") or ""), int(raw.get("subsidy_share") or 0)
    except ValueError:
        return {}
    subsidy = total * share // 100
    return {"price_subsidy": subsidy, "price_copay": total - subsidy}


def bid_form(bid: Bid) -> dict[str, Any]:
    form: dict[str, Any] = {f: getattr(bid, f) for f in service.FIELDS}
    form.update({f"weeks-{row['stage']}": row["weeks"] for row in bid.timeline})
    form["attachments"] = "\n".join(bid.attachments)
    form["case_study_ids"] = [str(i) for i in bid.case_study_ids]
    form["version"] = bid.version
    if bid.price_total:
        form["subsidy_share"] = round(bid.price_subsidy * 100 / bid.price_total)
    return form


def _bid_page(
    request: Request,
    session: DbSession,
    user: User,
    need_id: int,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    need = needs.get_need(session, user, need_id)
    bid = service.own_bid(session, user, need.id)
    form = form if form is not None else (bid_form(bid) if bid else {})
    form.setdefault("idempotency_key", secrets.token_urlsafe(24))
    form.setdefault("subsidy_share", need.subsidy_share)
    profile = user.organization.supplier
    attached = files.files_of(session, AttachmentOwner.bid, [bid.id])[bid.id] if bid else []
    context = {
        "need": need,
        "bid": bid,
        "outcome": service.outcome(session, bid) if bid else None,
        "open": service.bidding_open(need) and needs.may_browse(user),
        "withdrawable": service.bidding_open(need),
        "member": needs.may_browse(user),
        "form": form,
        "errors": errors or {},
        "stages": STAGES,
        "studies": profile.case_studies if profile else [],
        "files": attached,
        "version_files": files.carried(bid, attached) if bid else {},
    }
    return render(request, "bids/bid.html", context, status)


def _errors(errors: dict[str, str]) -> dict[str, str]:
    return {(k.split(".")[0] if k != "__all__" else k): v for k, v in reversed(errors.items())}


@router.get("/bids", dependencies=SUPPLIER)
def my_bids(request: Request, session: DbSession, user: CurrentUser) -> Response:
    bids = service.my_bids(session, user)
    outcomes = service.outcomes(session, bids)
    return render(request, "bids/mine.html", {"bids": bids, "outcomes": outcomes})


@router.get("/needs/{need_id:int}/bid", dependencies=SUPPLIER)
def bid_page(request: Request, need_id: RowId, session: DbSession, user: CurrentUser) -> Response:
    return _bid_page(request, session, user, need_id)


@router.post("/needs/{need_id:int}/bid", dependencies=SUPPLIER)
def submit_bid(
    request: Request, form: Form, need_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    raw, data = parse_bid_form(form)

    def act(parsed: BidIn) -> str:
        service.submit_bid(session, user, need_id, parsed, raw.get("idempotency_key"))
        return f"/needs/{need_id}/bid"

    def again(errors: dict[str, str], status: int) -> Response:
        return _bid_page(request, session, user, need_id, raw, _errors(errors), status)

    return submit(request, session, BidIn, data, act, again, field=_split_or_form)


def _split_or_form(exc: AppError) -> str:
    return "price_subsidy" if exc.message in service.SPLIT_REFUSALS else "__all__"


@router.post("/needs/{need_id:int}/bid/withdraw", dependencies=SUPPLIER)
def withdraw_bid(
    request: Request, form: Form, need_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    back = f"/needs/{need_id}/bid"
    service.withdrawable_bid(session, user, need_id)  # nothing to confirm for a stranger
    if page := confirm_step(request, form, _withdraw_ask(back)):
        return page
    parsed, _ = validate_form(VersionIn, form_dict(form), request_locale(request))
    service.withdraw_bid(session, user, need_id, parsed.version if parsed else None)
    return flash(request, back, Msgid("Your bid is withdrawn."))


def _withdraw_ask(back: str) -> Ask:
    return Ask(
        Msgid("Withdraw your bid?"),
        Msgid("The manufacturer can no longer see or select your bid."),
        Msgid("Nobody is sent a notice; the bid leaves the manufacturer's comparison."),
        back,
        button=Msgid("Withdraw the bid"),
    )


@router.post("/needs/{need_id:int}/bid/confirm", dependencies=SUPPLIER)
def confirm_bid(
    request: Request, form: Form, need_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    parsed, _ = validate_form(VersionIn, form_dict(form), request_locale(request))
    service.confirm_bid(session, user, need_id, parsed.version if parsed else None)
    return redirect(f"/needs/{need_id}/bid")


@router.post("/needs/{need_id:int}/bid/files", dependencies=[*SUPPLIER, Depends(accepts_uploads)])
def upload_bid_file(
    request: Request,
    need_id: RowId,
    form: Form,
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
) -> Response:
    def again(errors: dict[str, str], status: int) -> Response:
        return _bid_page(request, session, user, need_id, None, errors, status)

    target = partial(files.bid_target, session, user, need_id)
    done = f"/needs/{need_id}/bid#files"
    return upload(request, session, uploads, user, form, target, done, again)
