"""Admin requests (staff accounts, user changes, filters) and responses."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, field_validator, model_validator

from app.accounts import passwords
from app.coordinator.schemas import Blankable, Filters, PageNumber, Search
from app.schemas import Email, Input, Name, Password

StaffRole = Literal["coordinator", "admin"]


class UserFilters(Filters):
    role: Annotated[
        Literal["manufacturer", "supplier", "coordinator", "admin", "sponsor"] | None, Blankable
    ] = None
    q: Annotated[Search | None, Blankable] = None
    page: PageNumber = 1


class StaffIn(Input):
    name: Name
    email: Email
    password: Password
    role: StaffRole

    _strong = field_validator("password")(passwords.strong)


class UserPatch(Input):
    is_active: bool | None = None
    role: StaffRole | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> "UserPatch":
        if self.is_active is None and self.role is None:
            raise ValueError("Give is_active, role or both.")
        return self


class AdminUserOut(BaseModel):
    id: int
    email: str
    name: str
    role: str
    is_active: bool
    organization_id: int
    organization_name: str
    created_at: datetime


class UserPageOut(BaseModel):
    items: list[AdminUserOut]
    total: int
    page: int
    pages: int
