"""Coordinator requests (filters, membership moves) and responses."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from app.schemas import MAX_ID, ChangeOut, Input, MultiLine, OneLine


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


Blankable = BeforeValidator(_blank_to_none)
MembershipCode = Literal["applied", "admitted", "rejected", "suspended", "expired"]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1000), MultiLine
]
Search = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100), OneLine]
PageNumber = Annotated[int, Field(ge=1, le=10_000)]
RegionCode = Annotated[str, StringConstraints(max_length=32, pattern=r"^[a-z0-9-]+$"), OneLine]
OrgKindCode = Literal["manufacturer", "supplier", "support_group", "sponsor"]
ActionCode = Annotated[str, StringConstraints(max_length=64, pattern=r"^[a-z_.]+$"), OneLine]


class Filters(BaseModel):
    """Query-string filters: strings may be coerced, empty fields mean "any", and
    unknown parameters (page notices, tracking tags) are ignored as on any web page."""

    model_config = ConfigDict(extra="ignore")


class OrgFilters(Filters):
    kind: Annotated[OrgKindCode | None, Blankable] = None
    membership: Annotated[MembershipCode | None, Blankable] = None
    region: Annotated[RegionCode | None, Blankable] = None
    q: Annotated[Search | None, Blankable] = None
    page: PageNumber = 1


class ChoiceFilters(Filters):
    """A picker's search: organisations of one kind whose name contains `q`."""

    kind: OrgKindCode
    q: Annotated[Search | None, Blankable] = None


class ChoiceOut(BaseModel):
    id: int
    name: str


class AuditFilters(Filters):
    """`date_from`/`date_to`: Seoul calendar days, both included; `actor` and `organization`
    match part of a name (or the actor's e-mail); `organization_id` is what links from an
    organisation's page use."""

    organization_id: Annotated[Annotated[int, Field(ge=1, le=MAX_ID)] | None, Blankable] = None
    organization: Annotated[Search | None, Blankable] = None
    actor: Annotated[Search | None, Blankable] = None
    action: Annotated[ActionCode | None, Blankable] = None
    date_from: Annotated[date | None, Blankable] = None
    date_to: Annotated[date | None, Blankable] = None
    page: PageNumber = 1


class PageFilter(Filters):
    page: PageNumber = 1


class MembershipChange(Input):
    status: MembershipCode
    reason: Reason
    version: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class OrgOut(BaseModel):
    id: int
    name: str
    kind: str
    region: str | None
    membership: str | None
    user_count: int
    created_at: datetime
    membership_review_at: datetime | None = None


class OrgPageOut(BaseModel):
    items: list[OrgOut]
    total: int
    page: int
    pages: int


class AuditOut(BaseModel):
    """One entry: the raw record (read from `app.audit.Entry`) and the same in words, in the
    caller's language (`action_label`, `summary`, `changes`)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    action: str
    entity_type: str
    entity_id: int
    organization_id: int | None
    actor_id: int | None
    actor_name: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    created_at: datetime
    sealed: bool = Field(
        description="Content withheld: a bid before its need's deadline, or a review rating "
        "before the reviews are revealed"
    )
    action_label: str = ""
    summary: str = Field("", description="The action and what it is about, in words")
    changes: list[ChangeOut] = Field(default_factory=list)


class AuditPageOut(BaseModel):
    items: list[AuditOut]
    total: int
    page: int
    pages: int


class MemberOut(BaseModel):
    id: int
    name: str
    email: str
    role: str
    is_active: bool
    created_at: datetime


class MembershipOut(BaseModel):
    organization_id: int
    membership: str
    membership_reason: str | None
    membership_changed_at: datetime | None
    membership_review_at: datetime | None = None  # admitted: re-checked by then
    version: int


class OrgDetailOut(OrgOut):
    supplier: MembershipOut | None
    users: list[MemberOut]
    membership_history: list[AuditOut]
    audit: list[AuditOut]
