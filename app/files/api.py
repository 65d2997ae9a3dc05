"""JSON routes for files: multipart uploads, lists and downloads (the same service as pages)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import StreamingResponse

from app.auth import CurrentUser, DbSession, roles
from app.files import service
from app.files.download import UploadsDep, download
from app.files.schemas import AttachmentOut
from app.models import Role
from app.schemas import RowId
from app.web import accepts_uploads

router = APIRouter(prefix="/api", tags=["files"])
UPLOAD = [Depends(accepts_uploads)]
# Who may upload where, checked before the body is read (a sponsor or a coordinator gets a
# 403, not a 422 about a missing file); the service then checks ownership of the record.
MANUFACTURER_UPLOAD = [*roles(Role.manufacturer), *UPLOAD]
SUPPLIER_UPLOAD = [*roles(Role.supplier), *UPLOAD]
PARTY_UPLOAD = [*roles(Role.supplier, Role.manufacturer), *UPLOAD]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Record or file not found, or not visible to you (sealed bids)"},
    409: {"description": "The record takes no more files (closed, verified)"},
    413: {"description": "The file is larger than AXMATCH_MAX_UPLOAD_BYTES"},
    422: {"description": "Empty file, kind not accepted, name disagrees with the bytes, or a path"},
}
Upload = Annotated[UploadFile, File(description="The file; its kind is read from its bytes")]


def _attach(
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
    target: service.Target,
    file: UploadFile,
    confidential: bool = False,
) -> AttachmentOut:
    row = service.attach(
        session, uploads, user, target, file.filename or "", file.file, confidential
    )
    return AttachmentOut.of(row)


@router.post(
    "/needs/{need_id}/files", dependencies=MANUFACTURER_UPLOAD, responses=ERRORS, status_code=201
)
def upload_need_file(
    need_id: RowId,
    file: Upload,
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
    confidential: Annotated[bool, Form()] = False,
) -> AttachmentOut:
    """Drawings, data samples: the owner manufacturer. `confidential` files are shown only to
    the owner and coordinators."""
    target = service.need_target(session, user, need_id)
    return _attach(session, uploads, user, target, file, confidential)


@router.get("/needs/{need_id}/files", responses=ERRORS)
def need_files(need_id: RowId, session: DbSession, user: CurrentUser) -> list[AttachmentOut]:
    return [AttachmentOut.of(r) for r in service.need_files(session, user, need_id)]


@router.post(
    "/needs/{need_id}/bid/files", dependencies=SUPPLIER_UPLOAD, responses=ERRORS, status_code=201
)
def upload_bid_file(
    need_id: RowId, file: Upload, session: DbSession, uploads: UploadsDep, user: CurrentUser
) -> AttachmentOut:
    """제안서, 견적서: the bidding supplier on its own bid, until the deadline. Sealed like the
    bid: nobody else can list or download it before the deadline."""
    target = service.bid_target(session, user, need_id)
    return _attach(session, uploads, user, target, file)


@router.get("/bids/{bid_id}/files", responses=ERRORS)
def bid_files(bid_id: RowId, session: DbSession, user: CurrentUser) -> list[AttachmentOut]:
    return [AttachmentOut.of(r) for r in service.bid_files(session, user, bid_id)]


@router.post(
    "/engagements/{engagement_id}/results/{result_id}/files",
    dependencies=PARTY_UPLOAD,
    responses=ERRORS,
    status_code=201,
)
def upload_result_file(
    engagement_id: RowId,
    result_id: RowId,
    file: Upload,
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
) -> AttachmentOut:
    """Evidence (reports, photos, measurement logs) for a KPI result, before it is verified."""
    target = service.result_target(session, user, engagement_id, result_id)
    return _attach(session, uploads, user, target, file)


@router.get("/engagements/{engagement_id}/results/{result_id}/files", responses=ERRORS)
def result_files(
    engagement_id: RowId, result_id: RowId, session: DbSession, user: CurrentUser
) -> list[AttachmentOut]:
    rows = service.result_files(session, user, engagement_id, result_id)
    return [AttachmentOut.of(r) for r in rows]


@router.get(
    "/files/{attachment_id}",
    responses={
        **ERRORS,
        200: {"content": {"*/*": {}}, "description": "The file, as an attachment"},
    },
    response_class=StreamingResponse,
)
def download_file(
    attachment_id: RowId, session: DbSession, uploads: UploadsDep, user: CurrentUser
) -> StreamingResponse:
    """The bytes, as an attachment, to whoever may read the file's record."""
    return download(*service.open_file(session, uploads, user, attachment_id))


@router.delete("/files/{attachment_id}", responses=ERRORS, status_code=204)
def remove_file(attachment_id: RowId, session: DbSession, user: CurrentUser) -> None:
    """Need files by the owner manufacturer, application documents by the supplier; files on
    bids, answers, results and milestones stay."""
    service.remove_file(session, user, attachment_id)


@router.post(
    "/needs/{need_id}/questions/{question_id}/files",
    dependencies=MANUFACTURER_UPLOAD,
    responses=ERRORS,
    status_code=201,
)
def upload_answer_file(
    need_id: RowId,
    question_id: RowId,
    file: Upload,
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
) -> AttachmentOut:
    """A file answering a supplier's question (e.g. the drawing asked for): the need's owner.
    Read by everyone who reads the need's questions."""
    target = service.answer_target(session, user, need_id, question_id)
    return _attach(session, uploads, user, target, file)


@router.get("/needs/{need_id}/questions/files", responses=ERRORS)
def answer_files(need_id: RowId, session: DbSession, user: CurrentUser) -> list[AttachmentOut]:
    """The files on every answer to the need's questions (`owner_id` is the question's id)."""
    found = service.answer_files(session, user, need_id)
    return [AttachmentOut.of(r) for rows in found.values() for r in rows]


@router.post(
    "/engagements/{engagement_id}/milestones/{milestone_id}/files",
    dependencies=SUPPLIER_UPLOAD,
    responses=ERRORS,
    status_code=201,
)
def upload_milestone_file(
    engagement_id: RowId,
    milestone_id: RowId,
    file: Upload,
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
) -> AttachmentOut:
    """A deliverable (report, design, model card): the supplier, until the milestone is
    accepted. Read by both parties and the coordinators."""
    target = service.milestone_target(session, user, engagement_id, milestone_id)
    return _attach(session, uploads, user, target, file)


@router.get("/engagements/{engagement_id}/milestones/{milestone_id}/files", responses=ERRORS)
def milestone_files(
    engagement_id: RowId, milestone_id: RowId, session: DbSession, user: CurrentUser
) -> list[AttachmentOut]:
    rows = service.milestone_files(session, user, engagement_id, milestone_id)
    return [AttachmentOut.of(r) for r in rows]


@router.post(
    "/suppliers/{org_id}/application/files",
    dependencies=SUPPLIER_UPLOAD,
    responses=ERRORS,
    status_code=201,
)
def upload_application_file(
    org_id: RowId, file: Upload, session: DbSession, uploads: UploadsDep, user: CurrentUser
) -> AttachmentOut:
    """Certificates and company documents (사업자등록증, 인증서) for membership vetting: the
    supplier's own users. Read only by that supplier and the coordinators."""
    target = service.application_target(session, user, org_id)
    return _attach(session, uploads, user, target, file)


@router.get("/suppliers/{org_id}/application/files", responses=ERRORS)
def application_files(org_id: RowId, session: DbSession, user: CurrentUser) -> list[AttachmentOut]:
    return [AttachmentOut.of(r) for r in service.application_files(session, user, org_id)]
