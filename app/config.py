"""Settings from the environment (and an optional .env file)."""

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.vocab import AI_TECHNIQUES, SPECIALTIES

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-insecure-secret-key-change-me"
SfLevel = Literal["none", "basic", "intermediate1", "intermediate2", "advanced"]
DataLevel = Literal["none", "partial", "systematic"]
UPLOAD_TYPES = ("pdf", "png", "jpeg", "xlsx", "docx", "pptx", "csv", "text")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development", alias="AXMATCH_ENV"
    )
    data_dir: Path = Field(PROJECT_DIR / "var", alias="AXMATCH_DATA_DIR")
    database_url: str = Field("", alias="DATABASE_URL")
    secret_key: str = Field("", alias="SECRET_KEY")
    embedding_model: str = Field("default", alias="AXMATCH_EMBEDDING_MODEL")
    cookie_secure: bool = Field(False, alias="AXMATCH_COOKIE_SECURE")
    session_days: int = Field(14, alias="AXMATCH_SESSION_DAYS", ge=1, le=365)
    login_max_failures: int = Field(5, alias="AXMATCH_LOGIN_MAX_FAILURES", ge=1, le=1000)
    login_ip_max_failures: int = Field(30, alias="AXMATCH_LOGIN_IP_MAX_FAILURES", ge=1)
    login_window_minutes: int = Field(15, alias="AXMATCH_LOGIN_WINDOW_MINUTES", ge=1)
    # Account e-mails (app/accounts/recovery.py): how long a reset or verification link
    # lives, how many reset or verification e-mails one address may ask for per login window,
    # and how long the second-factor step of a login waits for its code.
    reset_minutes: int = Field(60, alias="AXMATCH_RESET_MINUTES", ge=5, le=1440)
    verify_hours: int = Field(72, alias="AXMATCH_VERIFY_HOURS", ge=1, le=720)
    reset_max_requests: int = Field(3, alias="AXMATCH_RESET_MAX_REQUESTS", ge=1, le=100)
    second_factor_minutes: int = Field(5, alias="AXMATCH_SECOND_FACTOR_MINUTES", ge=1, le=30)
    # Request bodies: a larger limit only on routes marked `accepts_uploads` (file uploads).
    max_body_bytes: int = Field(1_048_576, alias="AXMATCH_MAX_BODY_BYTES", ge=1024)
    # Documents (app/files): one file at most this large, of these kinds (app/files/kinds.py),
    # stored by content under AXMATCH_DATA_DIR/files.
    max_upload_bytes: int = Field(20_971_520, alias="AXMATCH_MAX_UPLOAD_BYTES", ge=1024)
    upload_types: tuple[str, ...] = Field(UPLOAD_TYPES, alias="AXMATCH_UPLOAD_TYPES", min_length=1)
    # Where the bytes live: "disk" (AXMATCH_DATA_DIR/files) or "s3", an S3-compatible object
    # store (AWS S3, MinIO, Ceph, ...) for several workers or machines. Empty keys and region
    # leave them to boto3's usual chain (environment, instance role); an empty endpoint is AWS.
    file_store: Literal["disk", "s3"] = Field("disk", alias="AXMATCH_FILE_STORE")
    s3_bucket: str = Field("", alias="AXMATCH_S3_BUCKET", max_length=63)
    s3_prefix: str = Field("files/", alias="AXMATCH_S3_PREFIX", max_length=200)
    # Index snapshots shared by the app machines (`axmatch snapshot push|pull`), same bucket.
    s3_index_prefix: str = Field("index/", alias="AXMATCH_S3_INDEX_PREFIX", max_length=200)
    s3_endpoint_url: str = Field("", alias="AXMATCH_S3_ENDPOINT_URL", max_length=300)
    s3_region: str = Field("", alias="AXMATCH_S3_REGION", max_length=50)
    s3_access_key_id: str = Field("", alias="AXMATCH_S3_ACCESS_KEY_ID")
    s3_secret_access_key: str = Field("", alias="AXMATCH_S3_SECRET_ACCESS_KEY")
    s3_timeout: float = Field(30.0, alias="AXMATCH_S3_TIMEOUT", gt=0, le=600)
    # Proxies whose X-Forwarded-For names the client (addresses or networks, a JSON list in the
    # environment); none by default, so the address the server sees is the client's.
    trusted_proxies: tuple[str, ...] = Field((), alias="AXMATCH_TRUSTED_PROXIES")
    # Database timeouts (seconds): opening a connection (PostgreSQL) or waiting for a pooled
    # one; a statement's run, lock waits included (both databases). Past them: a 503.
    db_connect_timeout: float = Field(5.0, alias="AXMATCH_DB_CONNECT_TIMEOUT", gt=0, le=300)
    db_statement_timeout: float = Field(30.0, alias="AXMATCH_DB_STATEMENT_TIMEOUT", gt=0, le=3600)
    index_poll_seconds: float = Field(1.0, alias="AXMATCH_INDEX_POLL_SECONDS", gt=0)
    index_save_seconds: float = Field(60.0, alias="AXMATCH_INDEX_SAVE_SECONDS", ge=0)
    # Notifications: e-mail through the outbox, sent by `axmatch worker` (or a thread of
    # `axmatch serve`); an empty SMTP host writes each e-mail to the log instead.
    public_url: str = Field("http://127.0.0.1:8000", alias="AXMATCH_PUBLIC_URL", max_length=200)
    smtp_host: str = Field("", alias="AXMATCH_SMTP_HOST")
    smtp_port: int = Field(25, alias="AXMATCH_SMTP_PORT", ge=1, le=65535)
    smtp_from: str = Field("axmatch <noreply@axmatch.example.kr>", alias="AXMATCH_SMTP_FROM")
    smtp_starttls: bool = Field(False, alias="AXMATCH_SMTP_STARTTLS")
    smtp_user: str = Field("", alias="AXMATCH_SMTP_USER")
    smtp_password: str = Field("", alias="AXMATCH_SMTP_PASSWORD")
    smtp_timeout: float = Field(10.0, alias="AXMATCH_SMTP_TIMEOUT", gt=0)
    outbox_max_attempts: int = Field(8, alias="AXMATCH_OUTBOX_MAX_ATTEMPTS", ge=1, le=100)
    outbox_backoff_seconds: float = Field(30.0, alias="AXMATCH_OUTBOX_BACKOFF_SECONDS", gt=0)
    worker_poll_seconds: float = Field(5.0, alias="AXMATCH_WORKER_POLL_SECONDS", gt=0)
    worker_scan_seconds: float = Field(60.0, alias="AXMATCH_WORKER_SCAN_SECONDS", gt=0)
    worker_in_app: bool | None = Field(None, alias="AXMATCH_WORKER_IN_APP")
    # /healthz reports the outbox stuck (a 503) once an e-mail has waited this long (seconds).
    health_outbox_max_age: float = Field(900.0, alias="AXMATCH_HEALTH_OUTBOX_MAX_AGE", gt=0)
    deadline_notice_hours: int = Field(48, alias="AXMATCH_DEADLINE_NOTICE_HOURS", ge=1, le=720)
    # Amendments to published needs (app/needs/amendments.py): a deadline moved earlier, and
    # any addendum that reopens bids for confirmation, must leave bidders at least this long.
    amend_min_notice_hours: int = Field(72, alias="AXMATCH_AMEND_MIN_NOTICE_HOURS", ge=0, le=720)
    # Membership re-checks: an admission holds this many days; coordinators are reminded this
    # many days before; ignored for this many days after, it expires (the supplier may re-apply).
    membership_review_days: int = Field(365, alias="AXMATCH_MEMBERSHIP_REVIEW_DAYS", ge=1, le=3650)
    membership_review_notice_days: int = Field(
        30, alias="AXMATCH_MEMBERSHIP_REVIEW_NOTICE_DAYS", ge=0, le=365
    )
    membership_review_grace_days: int = Field(
        30, alias="AXMATCH_MEMBERSHIP_REVIEW_GRACE_DAYS", ge=0, le=365
    )
    # The pipeline board and the coordinators' home flag an open engagement as stalled once
    # nothing was recorded on it (a plan, milestone, note, result, move) for this many days.
    stalled_days: int = Field(21, alias="AXMATCH_STALLED_DAYS", ge=1, le=365)
    # A newly registered manufacturer's first need waits for a coordinator's check before it
    # publishes (app/needs/checks.py); once one need is approved, later needs publish directly.
    first_need_check: bool = Field(True, alias="AXMATCH_FIRST_NEED_CHECK")
    # Readiness routing (app/readiness): a manufacturer below either threshold posts its needs
    # to the readiness path, served by suppliers offering one of `readiness_path_offers`
    # (specialty-field or AI-technique codes of app/vocab.py).
    readiness_min_sf_level: SfLevel = Field("intermediate1", alias="AXMATCH_READINESS_MIN_SF_LEVEL")
    readiness_min_data: DataLevel = Field("partial", alias="AXMATCH_READINESS_MIN_DATA")
    readiness_path_offers: tuple[str, ...] = Field(
        ("mes", "data_platform"), alias="AXMATCH_READINESS_PATH_OFFERS", min_length=1
    )
    # Programme dashboard (app/dashboard): national 2030 goals, and when award concentration
    # across suppliers raises a warning (HHI on the 0-10,000 scale; the top-15% share as a
    # fraction; compared with the previous period of the same length, or the last N days).
    programme_supplier_goal: int = Field(500, alias="AXMATCH_PROGRAMME_SUPPLIER_GOAL", ge=1)
    programme_manufacturer_goal: int = Field(
        12_000, alias="AXMATCH_PROGRAMME_MANUFACTURER_GOAL", ge=1
    )
    programme_accident_reduction_goal: float = Field(
        20.0, alias="AXMATCH_PROGRAMME_ACCIDENT_REDUCTION_GOAL", gt=0, le=100
    )
    concentration_warning_hhi: float = Field(
        2500.0, alias="AXMATCH_CONCENTRATION_WARNING_HHI", gt=0, le=10_000
    )
    concentration_warning_top_share: float = Field(
        0.67, alias="AXMATCH_CONCENTRATION_WARNING_TOP_SHARE", gt=0, le=1
    )
    concentration_rise_hhi: float = Field(
        200.0, alias="AXMATCH_CONCENTRATION_RISE_HHI", gt=0, le=10_000
    )
    concentration_window_days: int = Field(
        90, alias="AXMATCH_CONCENTRATION_WINDOW_DAYS", ge=7, le=3660
    )
    concentration_min_engagements: int = Field(
        10, alias="AXMATCH_CONCENTRATION_MIN_ENGAGEMENTS", ge=1
    )
    # PDF reports: a Korean font (Debian's fonts-noto-cjk, installed by `make browser`);
    # in a .ttc collection, the index of the Korean face (Noto Sans CJK KR is 1)
    report_font: Path = Field(
        Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), alias="AXMATCH_REPORT_FONT"
    )
    report_font_index: int = Field(1, alias="AXMATCH_REPORT_FONT_INDEX", ge=0, le=64)

    @model_validator(mode="after")
    def _defaults(self) -> "Settings":
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'axmatch.db'}"
        if not self.secret_key:
            if self.environment == "production":
                raise ValueError("SECRET_KEY is required when AXMATCH_ENV=production")
            self.secret_key = DEV_SECRET
        if self.file_store == "s3" and not self.s3_bucket:
            raise ValueError("AXMATCH_S3_BUCKET is required when AXMATCH_FILE_STORE=s3")
        if self.worker_in_app is None:  # development: `make run` shows e-mails in its log
            self.worker_in_app = self.environment == "development"
        return self

    @field_validator("readiness_path_offers")
    @classmethod
    def _known_offers(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [c for c in codes if c not in SPECIALTIES and c not in AI_TECHNIQUES]
        if unknown:
            raise ValueError(f"unknown specialty or AI technique codes: {unknown}")
        return codes

    @field_validator("upload_types")
    @classmethod
    def _known_types(cls, kinds: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [k for k in kinds if k not in UPLOAD_TYPES]
        if unknown:
            raise ValueError(f"unknown upload types: {unknown}; known: {list(UPLOAD_TYPES)}")
        return kinds

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, proxies: tuple[str, ...]) -> tuple[str, ...]:
        for proxy in proxies:
            ipaddress.ip_network(proxy, strict=False)  # ValueError names the bad entry
        return proxies

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
