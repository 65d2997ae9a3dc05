"""Typed SQLAlchemy models: the database is the source of truth."""

import enum
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


# Reviews are shown once both sides wrote, or this long after closing (no retaliation).
REVIEW_WINDOW = timedelta(days=14)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on both backends (SQLite drops tzinfo on the way back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use UTC-aware values")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def enum_column(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class OrgKind(enum.StrEnum):
    manufacturer = "manufacturer"
    supplier = "supplier"
    support_group = "support_group"
    sponsor = "sponsor"  # a large company sponsoring a cohort of its partner manufacturers


class Role(enum.StrEnum):
    manufacturer = "manufacturer"
    supplier = "supplier"
    coordinator = "coordinator"
    admin = "admin"
    sponsor = "sponsor"


class Membership(enum.StrEnum):
    applied = "applied"
    admitted = "admitted"
    rejected = "rejected"  # the application was turned down; the supplier may re-apply
    suspended = "suspended"
    expired = "expired"  # the periodic re-check was not done in time; the supplier may re-apply


class NeedStatus(enum.StrEnum):
    draft = "draft"
    awaiting_check = "awaiting_check"  # a new organisation's first need (검토 대기)
    open = "open"
    closed = "closed"


# What suppliers, counts and figures take as published: neither a draft nor one waiting for
# the support group's check (app/needs/checks.py).
PUBLISHED_NEEDS = (NeedStatus.open, NeedStatus.closed)


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind), index=True)
    name: Mapped[str] = mapped_column(String(200))
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    # 사업자등록번호: ten digits with a valid check digit (app/accounts/business.py)
    business_number: Mapped[str | None] = mapped_column(String(10), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When a coordinator first approved one of its needs (AXMATCH_FIRST_NEED_CHECK): until
    # then a manufacturer's needs wait for that check instead of publishing.
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    users: Mapped[list["User"]] = relationship(back_populates="organization")
    supplier: Mapped["SupplierProfile | None"] = relationship(back_populates="organization")
    manufacturer: Mapped["ManufacturerProfile | None"] = relationship(back_populates="organization")
    __mapper_args__ = {"version_id_col": version}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    locale: Mapped[str] = mapped_column(String(5), default="ko")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_version: Mapped[str | None] = mapped_column(String(20))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # TOTP: the base32 secret (set at enrolment, kept once confirmed) and argon2 hashes of the
    # unused recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(Integer)  # no code is accepted twice
    recovery_hashes: Mapped[list[str]] = mapped_column(JSON, default=list)

    organization: Mapped[Organization] = relationship(back_populates="users")


class UserSession(Base):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organization: Mapped[Organization] = relationship()


class TokenPurpose(enum.StrEnum):
    reset = "reset"  # a forgotten password
    verify = "verify"  # the e-mail address of a new account
    second_factor = "second_factor"  # a password was right; the TOTP code is still due


class AccountToken(Base):
    """A single-use secret sent to a user (e-mail link or login step): only its hash is kept."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """Failed logins (and reset requests, wrong second-factor codes: `kind`), kept in the
    database so every worker throttles alike."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="login")
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()


class SupplierProfile(Base):
    __tablename__ = "supplier_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), unique=True)
    description_ko: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)
    ai_techniques: Mapped[list[str]] = mapped_column(JSON, default=list)
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    processes: Mapped[list[str]] = mapped_column(JSON, default=list)
    region: Mapped[str | None] = mapped_column(String(32), index=True)
    team_size: Mapped[int | None] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    price_min: Mapped[int | None] = mapped_column(Integer)
    price_max: Mapped[int | None] = mapped_column(Integer)
    min_sf_level: Mapped[str | None] = mapped_column(String(16))
    certifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    founded_year: Mapped[int | None] = mapped_column(Integer)
    website: Mapped[str | None] = mapped_column(String(300))
    membership: Mapped[Membership] = mapped_column(
        enum_column(Membership), default=Membership.applied, index=True
    )
    membership_reason: Mapped[str | None] = mapped_column(String(1000))
    membership_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # An admission holds until this moment; a coordinator re-checks the supplier before it.
    membership_review_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    organization: Mapped[Organization] = relationship(back_populates="supplier")
    case_studies: Mapped[list["CaseStudy"]] = relationship(
        back_populates="supplier", order_by="CaseStudy.position", cascade="all, delete-orphan"
    )
    __mapper_args__ = {"version_id_col": version}


class CaseStudy(Base):
    __tablename__ = "case_studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("supplier_profiles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(String(8))
    process: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(300))
    year: Mapped[int | None] = mapped_column(Integer)

    supplier: Mapped[SupplierProfile] = relationship(back_populates="case_studies")


class ManufacturerProfile(Base):
    __tablename__ = "manufacturer_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    industry: Mapped[str | None] = mapped_column(String(8), index=True)
    region: Mapped[str | None] = mapped_column(String(32), index=True)
    employees: Mapped[int | None] = mapped_column(Integer)
    revenue_band: Mapped[str | None] = mapped_column(String(16))
    sf_level: Mapped[str] = mapped_column(String(16), default="none")
    systems: Mapped[list[str]] = mapped_column(JSON, default=list)
    readiness_data: Mapped[str] = mapped_column(String(16), default="none")
    readiness_staff: Mapped[str] = mapped_column(String(16), default="none")
    readiness_budget: Mapped[str] = mapped_column(String(16), default="none")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    organization: Mapped[Organization] = relationship(back_populates="manufacturer")
    __mapper_args__ = {"version_id_col": version}


class Need(Base):
    __tablename__ = "needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(String(8), index=True)
    process: Mapped[str | None] = mapped_column(String(32), index=True)
    ai_techniques: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The specialty fields (vocab.SPECIALTIES codes) the need wants a supplier to cover.
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    region: Mapped[str | None] = mapped_column(String(32), index=True)
    prefer_in_province: Mapped[bool] = mapped_column(Boolean, default=False)
    budget_min: Mapped[int | None] = mapped_column(Integer)
    budget_max: Mapped[int | None] = mapped_column(Integer)
    timeline_months: Mapped[int | None] = mapped_column(Integer)
    # The share of the price a government programme pays (percent); None: no programme, the
    # manufacturer pays all, so bids carry no subsidy.
    subsidy_share: Mapped[int | None] = mapped_column(Integer)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    data_available: Mapped[str] = mapped_column(Text, default="")
    must_have: Mapped[list[str]] = mapped_column(JSON, default=list)
    nice_to_have: Mapped[list[str]] = mapped_column(JSON, default=list)
    confidential_notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[NeedStatus] = mapped_column(
        enum_column(NeedStatus), default=NeedStatus.draft, index=True
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A coordinator ended the bidding early (the deadline moved to that moment) to propose a
    # supplier directly; every bidder and invitee was told why.
    bidding_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    bidding_end_reason: Mapped[str | None] = mapped_column(String(1000))
    # Readiness routing: "ai" (straight to AI suppliers) or "readiness" (data collection, MES,
    # sensor basics first); decided when the need is posted, a coordinator may override.
    track: Mapped[str] = mapped_column(String(16), default="ai", server_default="ai", index=True)
    track_reason: Mapped[str | None] = mapped_column(String(1000))
    track_overridden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Addenda after publication (app/needs/amendments.py): the latest one's number (0: as
    # published) and the latest that reopened bids for confirmation.
    amendment: Mapped[int] = mapped_column(Integer, default=0)
    confirm_from: Mapped[int] = mapped_column(Integer, default=0)

    organization: Mapped[Organization] = relationship()
    kpis: Mapped[list["NeedKpi"]] = relationship(
        back_populates="need", order_by="NeedKpi.position", cascade="all, delete-orphan"
    )
    amendments: Mapped[list["NeedAmendment"]] = relationship(
        back_populates="need", order_by="NeedAmendment.number", cascade="all, delete-orphan"
    )
    __mapper_args__ = {"version_id_col": version}

    def bids_unsealed(self, now: datetime) -> bool:
        """Bids (and their history) open only once the deadline has passed; no deadline
        keeps them sealed. The one rule every surface that shows a bid reads."""
        return self.deadline_at is not None and self.deadline_at <= now

    def phase(self, now: datetime | None = None) -> str:
        """The status every surface shows, derived from time: an open need whose deadline
        has passed is "awaiting_selection" (마감 · 선정 대기), not open for bids."""
        if self.status is NeedStatus.open and self.bids_unsealed(now or utcnow()):
            return "awaiting_selection"
        return self.status.value


class NeedAmendment(Base):
    """One addendum to a published need: what changed (field -> before/after, as the public
    need shows it) and whether it reopened bids for confirmation."""

    __tablename__ = "need_amendments"
    __table_args__ = (UniqueConstraint("need_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    reopens: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(1000))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    need: Mapped[Need] = relationship(back_populates="amendments")


class NeedKpi(Base):
    __tablename__ = "need_kpis"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    metric: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(20), default="")
    baseline: Mapped[float | None] = mapped_column()
    target: Mapped[float | None] = mapped_column()

    need: Mapped[Need] = relationship(back_populates="kpis")


class Embedding(Base):
    """One vector per (owner, text unit, model), with the hash of the text it came from.

    Owners: "supplier" (organisation id; profile and case-study units) and "need" (need id).
    The row id is the vector's id in the FAISS index cache.
    """

    __tablename__ = "embeddings"
    __table_args__ = (UniqueConstraint("owner_kind", "owner_id", "unit_key", "model"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[int] = mapped_column(Integer, index=True)
    unit_key: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(120), index=True)
    text_sha256: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class IndexChange(Base):
    """The change log every worker follows to keep its in-memory index in step."""

    __tablename__ = "index_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


# --- Bidding, selection and engagements (issue: from need to measured result) ---


class BidStatus(enum.StrEnum):
    submitted = "submitted"
    withdrawn = "withdrawn"


class AwardStatus(enum.StrEnum):
    pending = "pending"  # selected by the manufacturer, waiting for a coordinator
    approved = "approved"
    rejected = "rejected"


class ProposalStatus(enum.StrEnum):
    proposed = "proposed"
    accepted = "accepted"
    declined = "declined"


class Stage(enum.StrEnum):
    consulting = "consulting"
    design = "design"
    demonstration = "demonstration"
    deployment = "deployment"
    closed = "closed"
    cancelled = "cancelled"


class ResultPhase(enum.StrEnum):
    demonstration = "demonstration"
    deployment = "deployment"
    follow_up = "follow_up"


class BidInvitation(Base):
    __tablename__ = "bid_invitations"
    __table_args__ = (UniqueConstraint("need_id", "supplier_org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    supplier_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(16), default="suggestion")
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("rounds.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Bid(Base):
    """One bid per supplier per need; sealed until the need's deadline."""

    __tablename__ = "bids"
    __table_args__ = (UniqueConstraint("need_id", "supplier_org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    supplier_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    status: Mapped[BidStatus] = mapped_column(enum_column(BidStatus), default=BidStatus.submitted)
    approach: Mapped[str] = mapped_column(Text, default="")
    team: Mapped[str] = mapped_column(Text, default="")
    timeline: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    price_total: Mapped[int] = mapped_column(Integer)
    price_subsidy: Mapped[int] = mapped_column(Integer, default=0)
    price_copay: Mapped[int] = mapped_column(Integer, default=0)
    case_study_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    attachments: Mapped[list[str]] = mapped_column(JSON, default=list)
    shortlisted: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The need's addendum this bid was made or last confirmed against (Need.amendment).
    need_amendment: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)

    need: Mapped[Need] = relationship()
    supplier: Mapped[Organization] = relationship()
    versions: Mapped[list["BidVersion"]] = relationship(
        back_populates="bid", order_by="BidVersion.number", cascade="all, delete-orphan"
    )
    __mapper_args__ = {"version_id_col": version}

    def needs_confirmation(self) -> bool:
        """Made against a version of the need that an addendum to its budget, deadline, KPIs
        or requirements has since replaced: the bidder confirms or revises it."""
        return self.need_amendment < self.need.confirm_from


class BidVersion(Base):
    __tablename__ = "bid_versions"
    __table_args__ = (UniqueConstraint("bid_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    bid: Mapped[Bid] = relationship(back_populates="versions")


class IdempotencyKey(Base):
    """A retried submission with the same key returns the first result; another body is a 409."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(50))
    request_hash: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Clarification(Base):
    """A supplier's question on a need; shown to every bidder without saying who asked."""

    __tablename__ = "clarifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    asked_by_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Award(Base):
    """The manufacturer's selection of a bid, and the coordinator's decision on it."""

    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"))
    supplier_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    status: Mapped[AwardStatus] = mapped_column(
        enum_column(AwardStatus), default=AwardStatus.pending, index=True
    )
    justification: Mapped[str] = mapped_column(Text, default="")
    selected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    selected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    need: Mapped[Need] = relationship()
    bid: Mapped[Bid] = relationship()
    __mapper_args__ = {"version_id_col": version}


class MatchProposal(Base):
    """A coordinator proposes a supplier for a need; the manufacturer accepts or declines."""

    __tablename__ = "match_proposals"
    __table_args__ = (UniqueConstraint("need_id", "supplier_org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    supplier_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus), default=ProposalStatus.proposed
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    supplier: Mapped[Organization] = relationship()


class Engagement(Base):
    __tablename__ = "engagements"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"), unique=True)
    award_id: Mapped[int | None] = mapped_column(ForeignKey("awards.id"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("match_proposals.id"))
    supplier_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    manufacturer_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), default=Stage.consulting, index=True)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # Moved to deployment although the demonstration missed its targets: who, when and why.
    gate_override_reason: Mapped[str | None] = mapped_column(Text)
    gate_override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    gate_override_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    need: Mapped[Need] = relationship()
    supplier: Mapped[Organization] = relationship(foreign_keys=[supplier_org_id])
    manufacturer: Mapped[Organization] = relationship(foreign_keys=[manufacturer_org_id])
    stages: Mapped[list["EngagementStage"]] = relationship(
        back_populates="engagement", cascade="all, delete-orphan"
    )
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="engagement", order_by="Milestone.position", cascade="all, delete-orphan"
    )
    kpis: Mapped[list["EngagementKpi"]] = relationship(
        back_populates="engagement",
        order_by="EngagementKpi.position",
        cascade="all, delete-orphan",
    )
    # Loaded with the engagement (one query per batch): every gate check reads it.
    agreements: Mapped[list["Agreement"]] = relationship(
        back_populates="engagement",
        order_by="Agreement.number",
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    __mapper_args__ = {"version_id_col": version}

    def agreement(self) -> "Agreement | None":
        """The agreement's current version (the latest amendment)."""
        return self.agreements[-1] if self.agreements else None

    def reviews_public(self, review_count: int, now: datetime) -> bool:
        """Neither side can retaliate: both wrote, or REVIEW_WINDOW after closing is over."""
        if review_count >= 2:
            return True
        return self.closed_at is not None and now >= self.closed_at + REVIEW_WINDOW


class Agreement(Base):
    """One version of an engagement's agreement (협약): the terms both parties confirm before
    consulting may end. Amounts are integer won. An amendment is a new row (number + 1) with
    no confirmations; earlier versions stay as they were."""

    __tablename__ = "agreements"
    __table_args__ = (UniqueConstraint("engagement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(Text, default="")
    price_total: Mapped[int] = mapped_column(BigInteger, default=0)
    price_subsidy: Mapped[int] = mapped_column(BigInteger, default=0)
    price_copay: Mapped[int] = mapped_column(BigInteger, default=0)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    schedule: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # stage, weeks
    kpis: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # metric, targets
    programme: Mapped[str] = mapped_column(String(200), default="")  # e.g. AI 바우처 2026
    reference: Mapped[str] = mapped_column(String(100), default="")  # voucher / programme no.
    reason: Mapped[str | None] = mapped_column(Text)  # why this amendment
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    supplier_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    supplier_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    manufacturer_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    manufacturer_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    engagement: Mapped[Engagement] = relationship(back_populates="agreements")

    def confirmed(self) -> bool:
        return self.supplier_confirmed_at is not None and self.manufacturer_confirmed_at is not None


class PaymentKind(enum.StrEnum):
    subsidy = "subsidy"  # the programme disbursed part of its subsidy to the supplier
    copay = "copay"  # the supplier received part of the manufacturer's co-payment


class Payment(Base):
    """A tranche, tied to a milestone, recorded by a coordinator (integer won)."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"), index=True)
    kind: Mapped[PaymentKind] = mapped_column(enum_column(PaymentKind))
    amount: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    milestone: Mapped["Milestone"] = relationship()


class EngagementStage(Base):
    __tablename__ = "engagement_stages"
    __table_args__ = (UniqueConstraint("engagement_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[Stage] = mapped_column(enum_column(Stage))
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    actual_start: Mapped[date | None] = mapped_column(Date)
    actual_end: Mapped[date | None] = mapped_column(Date)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    engagement: Mapped[Engagement] = relationship(back_populates="stages")


class Milestone(Base):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[Stage] = mapped_column(enum_column(Stage))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    deliverable: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    engagement: Mapped[Engagement] = relationship(back_populates="milestones")


class EngagementNote(Base):
    __tablename__ = "engagement_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EngagementKpi(Base):
    __tablename__ = "engagement_kpis"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    metric: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(20), default="")
    baseline: Mapped[float | None] = mapped_column()
    target: Mapped[float | None] = mapped_column()
    acceptance: Mapped[bool] = mapped_column(Boolean, default=True)

    engagement: Mapped[Engagement] = relationship(back_populates="kpis")
    results: Mapped[list["KpiResult"]] = relationship(
        back_populates="kpi", cascade="all, delete-orphan"
    )


class KpiResult(Base):
    """A measured value of one KPI in one phase; only verified results count."""

    __tablename__ = "kpi_results"
    __table_args__ = (UniqueConstraint("kpi_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(
        ForeignKey("engagement_kpis.id", ondelete="CASCADE"), index=True
    )
    phase: Mapped[ResultPhase] = mapped_column(enum_column(ResultPhase))
    value: Mapped[float] = mapped_column()
    evidence: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rejected_reason: Mapped[str | None] = mapped_column(Text)

    kpi: Mapped[EngagementKpi] = relationship(back_populates="results")


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("engagement_id", "author_org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    author_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    subject_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- The coordinator's workbench: cohorts, conflicts, rounds, notifications ---


class Cohort(Base):
    """A sponsor's partner manufacturers (e.g. a turbine maker and its 150 suppliers)."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    sponsor_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    sponsor: Mapped[Organization] = relationship()
    members: Mapped[list["CohortMember"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan"
    )
    __mapper_args__ = {"version_id_col": version}


class CohortMember(Base):
    __tablename__ = "cohort_members"
    __table_args__ = (UniqueConstraint("cohort_id", "manufacturer_org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    manufacturer_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="members")
    manufacturer: Mapped[Organization] = relationship()


class ConflictKind(enum.StrEnum):
    same_owner = "same_owner"
    affiliated = "affiliated"
    dispute = "dispute"
    declared = "declared"


class ConflictOfInterest(Base):
    """A conflict of interest between a supplier and a manufacturer: never proposed together."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("supplier_org_id", "manufacturer_org_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    manufacturer_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[ConflictKind] = mapped_column(enum_column(ConflictKind))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RoundStatus(enum.StrEnum):
    draft = "draft"  # needs chosen, proposal solved and being edited
    released = "released"  # invitations sent
    withdrawn = "withdrawn"


class Round(Base):
    """An assignment round: shortlists for many open needs at once, under constraints."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[RoundStatus] = mapped_column(
        enum_column(RoundStatus), default=RoundStatus.draft, index=True
    )
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    shortlist_size: Mapped[int] = mapped_column(Integer, default=3)
    alternates: Mapped[int] = mapped_column(Integer, default=2)
    supplier_cap: Mapped[int] = mapped_column(Integer, default=3)
    min_new_suppliers: Mapped[int] = mapped_column(Integer, default=0)
    new_supplier_days: Mapped[int] = mapped_column(Integer, default=365)
    # Off: a pair below the minimum fit never goes on a shortlist (the shortlist may be
    # shorter than asked); on: such pairs may fill places left empty.
    fill_empty: Mapped[bool] = mapped_column(Boolean, default=False)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    solved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdraw_reason: Mapped[str | None] = mapped_column(String(1000))
    version: Mapped[int] = mapped_column(Integer, default=1)

    cohort: Mapped[Cohort | None] = relationship()
    needs: Mapped[list["RoundNeed"]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )
    pairs: Mapped[list["RoundPair"]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )
    __mapper_args__ = {"version_id_col": version}


class RoundNeed(Base):
    __tablename__ = "round_needs"
    __table_args__ = (UniqueConstraint("round_id", "need_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)

    round: Mapped[Round] = relationship(back_populates="needs")
    need: Mapped[Need] = relationship()


class RoundPair(Base):
    """One (need, supplier) pair of a round's proposal, with why it is there."""

    __tablename__ = "round_pairs"
    __table_args__ = (UniqueConstraint("round_id", "need_id", "supplier_org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    supplier_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    # shortlist | alternate | excluded (removed by the coordinator: never proposed again)
    kind: Mapped[str] = mapped_column(String(16), default="shortlist")
    rank: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float] = mapped_column(default=0.0)
    topk_rank: Mapped[int | None] = mapped_column(Integer)  # rank in plain top-k, if any
    source: Mapped[str] = mapped_column(String(16), default="solver")  # solver | forced | added
    parts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    round: Mapped[Round] = relationship(back_populates="pairs")
    need: Mapped[Need] = relationship()
    supplier: Mapped[Organization] = relationship()


class Notification(Base):
    """An in-app notice asking someone to act; kind + params are rendered in the reader's locale."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="")
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboxStatus(enum.StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"  # gave up after the last attempt


class OutboxMessage(Base):
    """An e-mail waiting to be sent by the background worker (never blocks the action)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    to_email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.pending, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EmailPreference(Base):
    """A user's choice for e-mails of one notification kind (no row: the default, on)."""

    __tablename__ = "email_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class SavedSearch(Base):
    """A supplier's saved search (or profile match) that notifies on new needs matching at
    `min_level` or better (a `matching.levels.FitLevel` value)."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(String(500), default="")  # empty: match the profile
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    min_level: Mapped[str] = mapped_column(String(8), default="low")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AttachmentOwner(enum.StrEnum):
    """The kinds of record a file can be attached to (app/files decides who reads each)."""

    need = "need"
    bid = "bid"
    kpi_result = "kpi_result"
    clarification = "clarification"  # an answer to a supplier's question on a need
    milestone = "milestone"  # a deliverable of an engagement's milestone
    supplier_application = "supplier_application"  # vetting documents; owner: SupplierProfile
    # More kinds attach through app.files.service the same way: a value
    # here (a VARCHAR(32), no database change), a target and a reader there.
    agreement = "agreement"  # the signed agreement document, on one version
    payment = "payment"  # evidence of a disbursement or a co-payment received


class Attachment(Base):
    """A file on a record: the bytes live in storage under their SHA-256 (one copy for equal
    files); the row says whose it is, what it is (detected from the bytes) and who sent it."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner", "owner_kind", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[AttachmentOwner] = mapped_column(enum_column(AttachmentOwner))
    owner_id: Mapped[int] = mapped_column(Integer)
    # Bids: the bid version the file joined; every later version keeps it (files on a bid
    # are never removed, so a version's files are those with bid_version <= its number).
    bid_version: Mapped[int | None] = mapped_column(Integer)
    # Needs: shown only to the owner and coordinators, like the need's confidential notes.
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
