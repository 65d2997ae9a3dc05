"""What the API says about a file (never where its bytes are)."""

from datetime import datetime

from pydantic import BaseModel

from app.models import Attachment, AttachmentOwner


class AttachmentOut(BaseModel):
    id: int
    owner: AttachmentOwner
    owner_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    confidential: bool
    bid_version: int | None  # bids: the version the file joined (later versions keep it)
    created_at: datetime
    download_url: str

    @classmethod
    def of(cls, row: Attachment) -> "AttachmentOut":
        return cls(
            id=row.id,
            owner=row.owner_kind,
            owner_id=row.owner_id,
            filename=row.filename,
            content_type=row.content_type,
            size=row.size,
            sha256=row.sha256,
            confidential=row.confidential,
            bid_version=row.bid_version,
            created_at=row.created_at,
            download_url=f"/api/files/{row.id}",
        )
