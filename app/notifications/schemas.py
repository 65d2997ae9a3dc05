"""Request and response models for notifications, e-mail preferences and saved searches."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from app.needs.schemas import IndustryCode, ProcessCode, RegionCode, TechniqueCode
from app.notifications.kinds import KINDS
from app.schemas import Input, MultiLine, Title

KindCode = Literal[tuple(KINDS)]  # type: ignore[valid-type]
SearchText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), MultiLine]
LevelCode = Literal["high", "medium", "low"]
FILTERS = ("industry", "process", "region", "ai_technique")


class NotificationOut(BaseModel):
    id: int
    kind: str
    text: str = Field(description="rendered in the reader's language")
    params: dict[str, Any]
    link: str = Field(description="the page where the reader acts on it")
    created_at: datetime
    read_at: datetime | None


class NotificationList(BaseModel):
    items: list[NotificationOut]
    total: int
    unread: int
    page: int
    per_page: int


class UnreadOut(BaseModel):
    unread: int


class ReadAllOut(BaseModel):
    marked: int


class PreferenceOut(BaseModel):
    kind: str
    label: str
    email: bool


class PreferencesIn(Input):
    """The whole choice at once: e-mails of the listed kinds off, all others on."""

    email_off: list[KindCode] = Field(default_factory=list, max_length=len(KINDS))


class SavedSearchIn(Input):
    """An empty query means "needs that match my profile" (scored like Recommended needs)."""

    name: Title
    query: SearchText = ""
    industry: IndustryCode | None = None
    process: ProcessCode | None = None
    region: RegionCode | None = None
    ai_technique: TechniqueCode | None = None
    level: LevelCode = Field(
        "low",
        description="alert on needs that fit at this level or better; the default is the "
        "minimum fit, so any need that would be suggested alerts",
    )

    def filters(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in FILTERS if getattr(self, f) is not None}


class SavedSearchOut(BaseModel):
    id: int
    name: str
    query: str
    mode: Literal["text", "profile"]
    filters: dict[str, str]
    level: LevelCode
    level_label: str = Field(description="in the reader's language")
    created_at: datetime


class PreviewOut(BaseModel):
    need_id: int
    title: str
    level: LevelCode
    level_label: str
    score: float
