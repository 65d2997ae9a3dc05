"""Documents: the one front door for files on records. Who may attach a file to a record,
who may read it (exactly who may read the record: a sealed bid's files stay sealed through
`bids.visible_bids`, confidential need files stay with the owner and staff), and the checks
on the bytes (size, kind, name) before anything is stored.

Every function takes the session first and only flushes; the request owns the transaction.
A refused upload leaves neither a row nor a blob.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.bids import dialogue
from app.bids import service as bids
from app.config import Settings
from app.coordinator.service import supplier_for
from app.engagements.service import OPEN_STAGES, get_engagement, is_staff, party_of
from app.engagements.work import SUPPLIER_PAUSED
from app.errors import AppError, Conflict, Forbidden, Invalid, NotFound
from app.files import kinds
from app.files.storage import Staged, Storage, TooLarge, chunks_of, storage_of
from app.matches.eligibility import require_admitted
from app.models import (
    Agreement,
    Attachment,
    AttachmentOwner,
    Bid,
    Clarification,
    KpiResult,
    Milestone,
    NeedStatus,
    Payment,
    Role,
    SupplierProfile,
    User,
    utcnow,
)
from app.needs import service as needs
from app.schemas import MAX_ID

NOT_FOUND = "File not found."


class FileTooLarge(AppError):
    status = 413
    code = "too_large"


@dataclass(frozen=True)
class Uploads:
    """Where files go (AXMATCH_FILE_STORE: disk or s3) and what they may be
    (AXMATCH_MAX_UPLOAD_BYTES, AXMATCH_UPLOAD_TYPES)."""

    storage: Storage
    max_bytes: int
    kinds: tuple[str, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> "Uploads":
        return cls(storage_of(settings), settings.max_upload_bytes, settings.upload_types)


@dataclass(frozen=True)
class Target:
    """A record a file may be attached to now, by this viewer."""

    kind: AttachmentOwner
    id: int
    bid_version: int | None = None
    confidential_allowed: bool = False


def need_target(session: Session, viewer: User, need_id: int) -> Target:
    """Drawings and data samples: the owner manufacturer attaches them until the need closes."""
    need = needs.get_own_need(session, viewer, need_id)
    if need.status is NeedStatus.closed:
        raise Conflict("A closed need takes no more files.")
    return Target(AttachmentOwner.need, need.id, confidential_allowed=True)


def bid_target(session: Session, viewer: User, need_id: int) -> Target:
    """Proposals and quotations: the bidding supplier, on its own bid, while bidding is open."""
    bids.require_bidder(viewer)
    need = needs.get_need(session, viewer, need_id)
    bid = bids.own_bid(session, viewer, need.id)
    if bid is None:
        raise NotFound("Submit your bid first, then attach its files.")
    if not bids.bidding_open(need):
        raise Conflict("Bidding on this need has closed.")
    return Target(AttachmentOwner.bid, bid.id, bid_version=len(bid.versions))


def result_target(session: Session, viewer: User, engagement_id: int, result_id: int) -> Target:
    """Evidence for a KPI result: either party, until a coordinator has verified it."""
    result = _result(session, viewer, engagement_id, result_id)
    if party_of(viewer, result.kpi.engagement) is None:
        raise Forbidden("Only the supplier or the manufacturer attaches evidence.")
    if result.verified_at is not None:
        raise Conflict("A verified result cannot be changed.")
    return Target(AttachmentOwner.kpi_result, result.id)


def agreement_target(session: Session, viewer: User, engagement_id: int) -> Target:
    """The signed agreement: either party (or a coordinator), on the current version."""
    engagement = get_engagement(session, viewer, engagement_id)
    agreement = engagement.agreement()
    if agreement is None:
        raise NotFound("The engagement has no agreement yet.")
    return Target(AttachmentOwner.agreement, agreement.id)


def payment_target(session: Session, viewer: User, engagement_id: int, payment_id: int) -> Target:
    """Evidence of a tranche (a transfer slip, the programme's notice): coordinators only,
    like the tranche itself."""
    if not is_staff(viewer):
        raise Forbidden("Only a coordinator records payments.")
    engagement = get_engagement(session, viewer, engagement_id)
    payment = session.get(Payment, payment_id) if 1 <= payment_id <= MAX_ID else None
    if payment is None or payment.engagement_id != engagement.id:
        raise NotFound("Payment not found.")
    return Target(AttachmentOwner.payment, payment.id)


def answer_target(session: Session, viewer: User, need_id: int, question_id: int) -> Target:
    """A drawing or sample that answers a supplier's question: the need's owner, like the
    answer itself; every supplier who reads the questions reads it."""
    need = needs.get_own_need(session, viewer, need_id)
    return Target(AttachmentOwner.clarification, _question(session, need.id, question_id).id)


def _question(session: Session, need_id: int, question_id: int) -> Clarification:
    item = session.get(Clarification, question_id) if 1 <= question_id <= MAX_ID else None
    if item is None or item.need_id != need_id:
        raise NotFound("Question not found.")
    return item


def answer_files(session: Session, viewer: User, need_id: int) -> dict[int, list[Attachment]]:
    """The files on every answer to the need's questions, by question id."""
    ids = [q.id for q in dialogue.questions(session, viewer, need_id)]
    return files_of(session, AttachmentOwner.clarification, ids)


def milestone_target(
    session: Session, viewer: User, engagement_id: int, milestone_id: int
) -> Target:
    """Deliverables: the supplier (admitted), on an open engagement, until the manufacturer
    accepts the milestone; both parties and the coordinators read them."""
    milestone = _milestone(session, viewer, engagement_id, milestone_id)
    engagement = milestone.engagement
    if party_of(viewer, engagement) != "supplier":
        raise Forbidden("Only the supplier attaches deliverables.")
    if engagement.stage not in OPEN_STAGES:
        raise Conflict("A closed or cancelled engagement is read-only.")
    if milestone.accepted_at is not None:
        raise Conflict("An accepted milestone takes no more files.")
    require_admitted(session, engagement.supplier_org_id, SUPPLIER_PAUSED)
    return Target(AttachmentOwner.milestone, milestone.id)


def _milestone(session: Session, viewer: User, engagement_id: int, milestone_id: int) -> Milestone:
    engagement = get_engagement(session, viewer, engagement_id)
    milestone = session.get(Milestone, milestone_id) if 1 <= milestone_id <= MAX_ID else None
    if milestone is None or milestone.engagement_id != engagement.id:
        raise NotFound("Milestone not found.")
    return milestone


def milestone_files(
    session: Session, viewer: User, engagement_id: int, milestone_id: int
) -> list[Attachment]:
    milestone = _milestone(session, viewer, engagement_id, milestone_id)
    return files_of(session, AttachmentOwner.milestone, [milestone.id])[milestone.id]


def application_target(session: Session, viewer: User, org_id: int) -> Target:
    """Certificates and company documents for vetting: the supplier's own users, in any
    membership state (an applicant, or a member before its re-check)."""
    profile = _application(session, viewer, org_id)
    if viewer.organization_id != profile.organization_id:
        raise Forbidden("Only the supplier attaches its application documents.")
    return Target(AttachmentOwner.supplier_application, profile.id)


def _application(session: Session, viewer: User, org_id: int) -> SupplierProfile:
    """The supplier's application, for its own users and the coordinators; nobody else
    learns even that it exists."""
    own = viewer.role is Role.supplier and viewer.organization_id == org_id
    if not (own or is_staff(viewer)):
        raise NotFound("Supplier not found.")
    return supplier_for(session, org_id)


def application_files(session: Session, viewer: User, org_id: int) -> list[Attachment]:
    profile = _application(session, viewer, org_id)
    return files_of(session, AttachmentOwner.supplier_application, [profile.id])[profile.id]


def _result(session: Session, viewer: User, engagement_id: int, result_id: int) -> KpiResult:
    engagement = get_engagement(session, viewer, engagement_id)
    result = session.get(KpiResult, result_id) if 1 <= result_id <= MAX_ID else None
    if result is None or result.kpi.engagement_id != engagement.id:
        raise NotFound("Result not found.")
    return result


def attach(
    session: Session,
    uploads: Uploads,
    viewer: User,
    target: Target,
    name: str,
    stream: BinaryIO,
    confidential: bool = False,
) -> Attachment:
    """Check the name, stream the bytes to a staged blob (stopping past the limit), check
    what they are, then write the row and keep the blob."""
    shown = kinds.display_name(name)
    if shown is None:
        raise Invalid("A file name may not contain folders, start with a dot or be empty.")
    staged = _stage(uploads, chunks_of(stream))
    try:
        shown, kind = _checked(uploads, staged, shown)
    except AppError:
        uploads.storage.discard(staged)
        raise
    row = Attachment(
        owner_kind=target.kind,
        owner_id=target.id,
        bid_version=target.bid_version,
        confidential=confidential and target.confidential_allowed,
        filename=shown,
        content_type=kinds.KINDS[kind].content_type,
        size=staged.size,
        sha256=staged.sha256,
        organization_id=viewer.organization_id,
        uploaded_by_id=viewer.id,
    )
    session.add(row)
    audit.record(session, viewer, "file.attached", row, after=_facts(row))
    uploads.storage.keep(staged)
    return row


def _stage(uploads: Uploads, chunks: Iterable[bytes]) -> Staged:
    try:
        return uploads.storage.stage(chunks, uploads.max_bytes)
    except TooLarge:
        mb = uploads.max_bytes / 1_048_576
        raise FileTooLarge("The file is larger than %(mb)s MB.", mb=f"{mb:g}") from None


def _checked(uploads: Uploads, staged: Staged, shown: str) -> tuple[str, str]:
    if staged.size == 0:
        raise Invalid("The file is empty.")
    kind = kinds.detect(staged.path, shown)
    if kind is None or kind not in uploads.kinds:
        raise Invalid(
            "This kind of file is not accepted. Accepted: %(kinds)s.", kinds=_names(uploads)
        )
    final = kinds.named(shown, kind)
    if final is None:
        raise Invalid(
            "The file's name says %(ext)s but its contents are %(kind)s.",
            ext=kinds.extension(shown),
            kind=kind.upper(),
        )
    return final, kind


def _names(uploads: Uploads) -> str:
    return ", ".join(k.upper() for k in uploads.kinds)


def _facts(row: Attachment) -> dict[str, object]:
    """What the audit log keeps; a bid's file names stay out of it (bids are sealed)."""
    facts: dict[str, object] = {"owner": row.owner_kind.value, "owner_id": row.owner_id}
    if row.owner_kind is not AttachmentOwner.bid:
        facts |= {"filename": row.filename, "size": row.size, "sha256": row.sha256}
    return facts


def files_of(
    session: Session, kind: AttachmentOwner, ids: list[int]
) -> dict[int, list[Attachment]]:
    """The live files of records the caller has already shown the viewer, by record id."""
    query = select(Attachment).where(
        Attachment.owner_kind == kind, Attachment.owner_id.in_(ids), Attachment.removed_at.is_(None)
    )
    found: dict[int, list[Attachment]] = {i: [] for i in ids}
    for row in session.scalars(query.order_by(Attachment.id)):
        found[row.owner_id].append(row)
    return found


def need_files(session: Session, viewer: User, need_id: int) -> list[Attachment]:
    need = needs.get_need(session, viewer, need_id)
    rows = files_of(session, AttachmentOwner.need, [need.id])[need.id]
    return [r for r in rows if not r.confidential or needs.can_see_confidential(viewer, need)]


def bid_files(session: Session, viewer: User, bid_id: int) -> list[Attachment]:
    bid = _visible_bid(session, viewer, bid_id)
    return files_of(session, AttachmentOwner.bid, [bid.id])[bid.id]


def version_files(session: Session, viewer: User, bid_id: int) -> dict[int, list[Attachment]]:
    """What each version of the bid carried, by version number: the files that joined at or
    before it (files on a bid are never removed). Readable by whoever `bids.visible_bids`
    shows the bid to, so sealed bids stay sealed in their history too."""
    bid = _visible_bid(session, viewer, bid_id)
    return carried(bid, files_of(session, AttachmentOwner.bid, [bid.id])[bid.id])


def carried(bid: Bid, rows: list[Attachment]) -> dict[int, list[Attachment]]:
    """The bid's files (already shown to the viewer) by the versions that carried them."""
    return {v.number: [r for r in rows if (r.bid_version or 1) <= v.number] for v in bid.versions}


def result_files(
    session: Session, viewer: User, engagement_id: int, result_id: int
) -> list[Attachment]:
    result = _result(session, viewer, engagement_id, result_id)
    return files_of(session, AttachmentOwner.kpi_result, [result.id])[result.id]


def _visible_bid(session: Session, viewer: User, bid_id: int) -> Bid:
    """The bid, if `bids.visible_bids` (the one sealed-bid rule) shows it to the viewer."""
    bid = session.get(Bid, bid_id) if 1 <= bid_id <= MAX_ID else None
    if bid is None or bid not in bids.visible_bids(session, viewer, bid.need_id).bids:
        raise NotFound("Bid not found.")
    return bid


def readable(session: Session, viewer: User, row: Attachment) -> bool:
    """Whether the viewer may read the file: exactly when it may read its record."""
    try:
        return READERS[row.owner_kind](session, viewer, row)
    except (NotFound, Forbidden):
        return False


def _reads_answer(session: Session, viewer: User, row: Attachment) -> bool:
    question = session.get_one(Clarification, row.owner_id)
    return row.owner_id in answer_files(session, viewer, question.need_id)


def _reads_result(session: Session, viewer: User, row: Attachment) -> bool:
    result = session.get_one(KpiResult, row.owner_id)
    return bool(get_engagement(session, viewer, result.kpi.engagement_id))


def _reads_milestone(session: Session, viewer: User, row: Attachment) -> bool:
    milestone = session.get_one(Milestone, row.owner_id)
    return bool(get_engagement(session, viewer, milestone.engagement_id))


def _reads_application(session: Session, viewer: User, row: Attachment) -> bool:
    profile = session.get_one(SupplierProfile, row.owner_id)
    return bool(_application(session, viewer, profile.organization_id))


# Who reads a file, by the kind of its record: a new kind of owner adds its reader here.
READERS: dict[AttachmentOwner, Callable[[Session, User, Attachment], bool]] = {
    AttachmentOwner.need: lambda s, v, row: row in need_files(s, v, row.owner_id),
    AttachmentOwner.bid: lambda s, v, row: bool(_visible_bid(s, v, row.owner_id)),
    AttachmentOwner.clarification: _reads_answer,
    AttachmentOwner.kpi_result: _reads_result,
    AttachmentOwner.milestone: _reads_milestone,
    AttachmentOwner.supplier_application: _reads_application,
    AttachmentOwner.agreement: lambda s, v, row: bool(
        get_engagement(s, v, s.get_one(Agreement, row.owner_id).engagement_id)
    ),
    AttachmentOwner.payment: lambda s, v, row: bool(
        get_engagement(s, v, s.get_one(Payment, row.owner_id).engagement_id)
    ),
}


def open_file(
    session: Session, uploads: Uploads, viewer: User, attachment_id: int
) -> tuple[Attachment, BinaryIO]:
    """The file and its bytes, checked against its record on every download."""
    row = session.get(Attachment, attachment_id) if 1 <= attachment_id <= MAX_ID else None
    if row is None or row.removed_at is not None or not readable(session, viewer, row):
        raise NotFound(NOT_FOUND)
    return row, uploads.storage.open(row.sha256)


def _removes_need_file(session: Session, viewer: User, row: Attachment) -> bool:
    if viewer.role is not Role.manufacturer:
        return False
    needs.get_own_need(session, viewer, row.owner_id)
    return True


def _removes_application_file(session: Session, viewer: User, row: Attachment) -> bool:
    """The supplier's own users replace an expired certificate or a wrong document at any
    time; the coordinators keep what they vetted in the audit log (the blob stays)."""
    profile = session.get(SupplierProfile, row.owner_id)
    return (
        profile is not None
        and viewer.role is Role.supplier
        and viewer.organization_id == profile.organization_id
    )


# Who may take a file off its record. Files on bids, answers, results and milestones stay,
# so every version keeps what it was sent with.
REMOVERS: dict[AttachmentOwner, Callable[[Session, User, Attachment], bool]] = {
    AttachmentOwner.need: _removes_need_file,
    AttachmentOwner.supplier_application: _removes_application_file,
}


def remove_file(session: Session, viewer: User, attachment_id: int) -> Attachment:
    """The owner takes a file off its need or its application (the blob stays: others may
    share it); anyone else learns nothing (404)."""
    row = session.get(Attachment, attachment_id) if 1 <= attachment_id <= MAX_ID else None
    if row is None or row.removed_at is not None or row.owner_kind not in REMOVERS:
        raise NotFound(NOT_FOUND)
    if not REMOVERS[row.owner_kind](session, viewer, row):
        raise NotFound(NOT_FOUND)
    row.removed_at, row.removed_by_id = utcnow(), viewer.id
    audit.record(session, viewer, "file.removed", row, after=_facts(row))
    return row


def object_store_client(settings: Settings) -> Any:
    """The shared object store's boto3 client (AXMATCH_S3_*): index snapshots live in the
    documents' bucket under their own prefix (app/matches/shared.py)."""
    from app.files.s3 import S3Storage

    return S3Storage.from_settings(settings).client
