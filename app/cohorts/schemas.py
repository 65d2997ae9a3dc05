"""Cohort requests and responses; the forms validate with the same input models."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from app.schemas import MAX_ID, Email, Input, LongText, OneLine, Title

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=MAX_ID)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), OneLine]
MAX_BATCH = 500


class CohortIn(Input):
    """A new cohort: of an existing sponsor, or of a sponsor registered with it (by name)."""

    sponsor_org_id: Id | None = None
    sponsor_name: Title | None = None
    name: Title
    description: LongText = ""
    sponsor_email: Email | None = Field(
        None, description="Invite the sponsor's first user: the response carries the link."
    )

    @model_validator(mode="after")
    def _one_sponsor(self) -> "CohortIn":
        if (self.sponsor_org_id is None) == (self.sponsor_name is None):
            raise ValueError("Choose a registered sponsor or name a new one, not both.")
        return self


class CohortUpdate(Input):
    name: Title
    description: LongText = ""
    version: Version


class VersionIn(Input):
    version: Version


class MembersIn(Input):
    """Manufacturers to add: picked by organisation id, or pasted as business names or
    external ids (one per line; blank lines are skipped)."""

    organization_ids: list[Id] = Field(default_factory=list, max_length=MAX_BATCH)
    lines: list[Line] = Field(default_factory=list, max_length=MAX_BATCH)


class MemberIdsIn(Input):
    organization_ids: list[Id] = Field(min_length=1, max_length=MAX_BATCH)


class InviteIn(Input):
    email: Email


class SponsorOut(BaseModel):
    id: int
    name: str


class MemberOut(BaseModel):
    name: str
    organization_id: int | None = Field(description="Null for the sponsor's own view.")
    external_id: str | None = Field(description="Null for the sponsor's own view.")
    region: str | None = Field(description="Null for the sponsor's own view.")
    industry: str | None = Field(description="Null for the sponsor's own view.")


class CohortOut(BaseModel):
    id: int
    name: str
    description: str
    sponsor: SponsorOut
    member_count: int
    created_at: datetime
    version: int


class CohortDetailOut(CohortOut):
    members: list[MemberOut]


class CreatedOut(CohortDetailOut):
    invitation_url: str | None = Field(description="Shown once: the sponsor user's sign-up link.")


class MemberReportOut(BaseModel):
    added: list[MemberOut]
    already_members: list[MemberOut]
    unknown: list[str] = Field(description="Pasted lines (or #ids) matching no manufacturer.")
    ambiguous: list[str] = Field(description="Pasted names matching several manufacturers.")


class RemovedOut(BaseModel):
    removed: int


class InvitationOut(BaseModel):
    email: str
    invitation_url: str
    expires_at: datetime
