"""Request and response models for a need's track."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from app.schemas import MAX_ID, Input, MultiLine

Track = Literal["ai", "readiness"]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000), MultiLine
]


class TrackIn(Input):
    """A coordinator's override: the track, why, and the need version it was based on."""

    track: Track
    reason: Reason
    version: Annotated[int, Field(ge=1, le=MAX_ID)]


class TrackOut(BaseModel):
    need_id: int
    track: Track
    reason: str | None = Field(
        description="Reason codes of the automatic routing, or the coordinator's words."
    )
    overridden: bool
    explanation: list[str] = Field(description="The reason in the caller's language.")
    required_offers: list[str] = Field(
        description="Specialty/technique codes a supplier must offer one of (empty: any)."
    )
    version: int
