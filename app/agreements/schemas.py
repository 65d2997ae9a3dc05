"""Request and response models for agreements and payment tranches (amounts in won)."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints, model_validator

from app.engagements.schemas import Day, parse_day
from app.schemas import MAX_ID, Input, LongText, MoneyOut, MultiLine, OneLine, ShortText

Won = Annotated[int, Field(ge=0, le=100_000_000_000)]  # KRW, up to 1,000억
Positive = Annotated[int, Field(ge=1, le=100_000_000_000)]
Paid = Annotated[date, BeforeValidator(parse_day)]
Number = Annotated[int, Field(ge=1, le=MAX_ID)]
Reference = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100), OneLine
]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=5, max_length=1000), MultiLine
]
Scope = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=5, max_length=5000), MultiLine
]


class ConfirmIn(Input):
    number: Number  # the version read: a newer amendment makes this a 409


class AmendIn(Input):
    """A new version of the terms; both parties confirm it again."""

    number: Number  # the version being amended (stale: 409)
    scope: Scope
    price_total: Won
    price_subsidy: Won = 0
    price_copay: Won = 0
    starts_on: Day = None
    ends_on: Day = None
    programme: ShortText | None = None  # forms send an empty field as None
    reference: ShortText | None = None
    reason: Reason

    @model_validator(mode="after")
    def _adds_up(self) -> "AmendIn":
        if self.price_subsidy + self.price_copay != self.price_total:
            raise ValueError("Subsidy and co-payment must add up to the total price.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("The end date is before the start date.")
        return self


class PaymentIn(Input):
    milestone_id: Number
    kind: Literal["subsidy", "copay"]
    amount: Positive
    paid_on: Paid
    reference: Reference  # the voucher / programme number, or the transfer's reference
    note: LongText | None = None


class AgreementOut(BaseModel):
    id: int
    number: int
    scope: str
    price_total: MoneyOut
    price_subsidy: MoneyOut
    price_copay: MoneyOut
    starts_on: date | None
    ends_on: date | None
    schedule: list[dict[str, object]]
    kpis: list[dict[str, object]]
    programme: str
    reference: str
    reason: str | None
    created_at: datetime
    supplier_confirmed_at: datetime | None
    manufacturer_confirmed_at: datetime | None
    confirmed: bool
    files: list[int]  # attachment ids of the signed document(s): GET /api/files/{id}


class PaymentOut(BaseModel):
    id: int
    milestone_id: int
    milestone_title: str
    kind: str
    amount: MoneyOut
    paid_on: Paid
    reference: str
    note: str
    created_at: datetime
    files: list[int]


class TotalsOut(BaseModel):
    subsidy_agreed: MoneyOut
    subsidy_disbursed: MoneyOut
    subsidy_remaining: MoneyOut
    copay_agreed: MoneyOut
    copay_received: MoneyOut
    copay_remaining: MoneyOut


class SettlementOut(BaseModel):
    """The engagement's agreement (current version first in `versions`' last place) and
    its payments: GET /api/engagements/{id}/agreement."""

    engagement_id: int
    parties: dict[str, str]  # supplier, manufacturer: organisation names
    current: AgreementOut
    versions: list[AgreementOut]
    payments: list[PaymentOut]
    totals: TotalsOut
