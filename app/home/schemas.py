"""GET /api/home: the signed-in user's lists, the same as the home page shows."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Flag = Literal["overdue", "stalled"]


class HomeItemOut(BaseModel):
    title: str
    href: str = Field(description="The page where the user acts on this item")
    note: str = Field(description="Why it is listed, in the caller's language")
    at: datetime | None = Field(description="When it began waiting, or its deadline")
    flags: list[Flag]


class HomeSectionOut(BaseModel):
    kind: str = Field(description="A stable code, e.g. bids_to_compare, stages_to_sign_off")
    title: str
    href: str = Field(description="The page listing every item of this kind")
    action: bool = Field(description="False for status to read rather than a task")
    count: int
    items: list[HomeItemOut]


class HomeOut(BaseModel):
    role: str
    total: int = Field(description="Items waiting for the user's action (the nav's count)")
    sections: list[HomeSectionOut] = Field(description="In the order to work through them")
