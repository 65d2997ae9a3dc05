"""JSON routes for agreements and payment tranches: the same service functions as the pages."""

from typing import Any

from fastapi import APIRouter, Depends, UploadFile

from app.agreements import payments, service
from app.agreements.schemas import (
    AgreementOut,
    AmendIn,
    ConfirmIn,
    PaymentIn,
    PaymentOut,
    SettlementOut,
    TotalsOut,
)
from app.agreements.settlement import Settlement, load_settlement
from app.auth import CurrentUser, DbSession, roles
from app.files import service as files
from app.files.api import Upload
from app.files.download import UploadsDep
from app.files.schemas import AttachmentOut
from app.models import Agreement, Payment, Role
from app.schemas import MoneyOut, RowId
from app.web import accepts_uploads

STAFF = roles(Role.coordinator, Role.admin)
UPLOAD = [Depends(accepts_uploads)]
router = APIRouter(
    prefix="/api",
    tags=["agreements"],
    dependencies=roles(Role.manufacturer, Role.supplier, Role.coordinator, Role.admin),
)
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Your side cannot do this (parties confirm; coordinators amend, pay)"},
    404: {"description": "Engagement, milestone or payment not found, or not yours"},
    409: {"description": "Stale agreement version, already confirmed, or not yet confirmed"},
    422: {"description": "Split does not add up, or a tranche would pass the agreement's split"},
}


def agreement_out(a: Agreement, found: Settlement) -> AgreementOut:
    fields = ("id", "number", "scope", "starts_on", "ends_on", "schedule", "kpis", "programme")
    fields += ("reference", "reason", "created_at")
    fields += ("supplier_confirmed_at", "manufacturer_confirmed_at")
    return AgreementOut(
        **{f: getattr(a, f) for f in fields},
        price_total=MoneyOut.of(a.price_total),
        price_subsidy=MoneyOut.of(a.price_subsidy),
        price_copay=MoneyOut.of(a.price_copay),
        confirmed=a.confirmed(),
        files=[f.id for f in found.signed.get(a.id, [])],
    )


def payment_out(p: Payment, found: Settlement) -> PaymentOut:
    fields = ("id", "milestone_id", "paid_on", "reference", "note", "created_at")
    return PaymentOut(
        **{f: getattr(p, f) for f in fields},
        milestone_title=p.milestone.title,
        kind=p.kind.value,
        amount=MoneyOut.of(p.amount),
        files=[f.id for f in found.evidence.get(p.id, [])],
    )


def settlement_out(found: Settlement) -> SettlementOut:
    e, t = found.engagement, found.totals
    return SettlementOut(
        engagement_id=e.id,
        parties={"supplier": e.supplier.name, "manufacturer": e.manufacturer.name},
        current=agreement_out(found.current, found),
        versions=[agreement_out(v, found) for v in found.versions],
        payments=[payment_out(p, found) for p in found.payments],
        totals=TotalsOut(
            **{
                name: MoneyOut.of(getattr(t, name))
                for name in TotalsOut.model_fields  # subsidy_agreed, ..., copay_remaining
            }
        ),
    )


def fresh(session: DbSession, user: CurrentUser, engagement_id: int) -> SettlementOut:
    session.flush()
    session.expire_all()
    return settlement_out(load_settlement(session, user, engagement_id))


@router.get("/engagements/{engagement_id}/agreement", responses=ERRORS)
def get_agreement(engagement_id: RowId, session: DbSession, user: CurrentUser) -> SettlementOut:
    """The current version and every earlier one, the tranches paid and the totals."""
    return settlement_out(load_settlement(session, user, engagement_id))


@router.post("/engagements/{engagement_id}/agreement/confirm", responses=ERRORS)
def confirm(
    engagement_id: RowId, data: ConfirmIn, session: DbSession, user: CurrentUser
) -> SettlementOut:
    """The caller's side confirms version `number` (the current one; otherwise 409)."""
    service.confirm(session, user, engagement_id, data.number)
    return fresh(session, user, engagement_id)


@router.post("/engagements/{engagement_id}/agreement/amend", dependencies=STAFF, responses=ERRORS)
def amend(
    engagement_id: RowId, data: AmendIn, session: DbSession, user: CurrentUser
) -> SettlementOut:
    """A new version of the terms (amounts in won); both parties confirm it again."""
    service.amend(session, user, engagement_id, data)
    return fresh(session, user, engagement_id)


@router.post(
    "/engagements/{engagement_id}/agreement/files",
    dependencies=UPLOAD,
    responses=ERRORS,
    status_code=201,
)
def upload_signed(
    engagement_id: RowId, file: Upload, session: DbSession, uploads: UploadsDep, user: CurrentUser
) -> AttachmentOut:
    """The signed agreement (PDF, scan) on the current version: a party or a coordinator."""
    target = files.agreement_target(session, user, engagement_id)
    return _attach(session, uploads, user, target, file)


@router.post(
    "/engagements/{engagement_id}/payments",
    dependencies=STAFF,
    responses=ERRORS,
    status_code=201,
)
def record_payment(
    engagement_id: RowId, data: PaymentIn, session: DbSession, user: CurrentUser
) -> SettlementOut:
    """A tranche tied to a milestone; past the agreement's split it is a 422, nothing kept."""
    payments.record_payment(session, user, engagement_id, data)
    return fresh(session, user, engagement_id)


@router.post(
    "/engagements/{engagement_id}/payments/{payment_id}/files",
    dependencies=[*STAFF, *UPLOAD],
    responses=ERRORS,
    status_code=201,
)
def upload_evidence(
    engagement_id: RowId,
    payment_id: RowId,
    file: Upload,
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
) -> AttachmentOut:
    """Evidence of a tranche (a transfer slip, the programme's notice)."""
    target = files.payment_target(session, user, engagement_id, payment_id)
    return _attach(session, uploads, user, target, file)


def _attach(
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
    target: files.Target,
    file: UploadFile,
) -> AttachmentOut:
    row = files.attach(session, uploads, user, target, file.filename or "", file.file)
    return AttachmentOut.of(row)
