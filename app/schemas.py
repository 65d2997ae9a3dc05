"""Pydantic building blocks shared by the features' request models.

Every text field of a request model (API, form or import) ends in `OneLine` or `MultiLine`:
control characters never get in (a title with CR/LF once broke every e-mail header built
from it); tests/test_schemas.py checks that no text field is left without one.
"""

import unicodedata
from typing import Annotated, Any

from fastapi import Path
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app import money

LINE_SEPARATORS = frozenset("\u2028\u2029")


def has_controls(text: str, allowed: str = "") -> bool:
    """Whether `text` holds a control character (Unicode Cc: C0, DEL, C1) or a line or
    paragraph separator, other than those in `allowed`."""
    return any(
        (unicodedata.category(c) == "Cc" or c in LINE_SEPARATORS) and c not in allowed for c in text
    )


def one_line(value: str) -> str:
    if has_controls(value):
        raise ValueError("Use one line, without control characters.")
    return value


def many_lines(value: str) -> str:
    """Line breaks kept (a browser's CRLF made LF) and tabs; every other control refused."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if has_controls(value, allowed="\n\t"):
        raise ValueError("Text must not contain control characters.")
    return value


def one_line_of(text: str) -> str:
    """Stored text made one line for a header or a log line: controls become spaces."""
    return " ".join("".join(" " if has_controls(c) else c for c in text).split())


OneLine = AfterValidator(one_line)
MultiLine = AfterValidator(many_lines)
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
    OneLine,
]

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine
]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200), OneLine
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300), OneLine]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000), MultiLine]
Password = Annotated[str, StringConstraints(min_length=10, max_length=200), OneLine]
MAX_ID = 2_147_483_647  # the largest id both databases store: bigger path ids are a 422
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
Money = Annotated[int, Field(ge=0, le=10_000_000)]  # 만원 (KRW 10,000): up to KRW 100 bn


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class Input(BaseModel):
    """Request bodies: unknown fields rejected, JSON types not coerced (forms opt out)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="after")
    def _no_nul(self) -> "Input":
        """PostgreSQL text cannot hold NUL: refuse it here (422), not at the database.
        Runs after the fields, so a field's own check can name the field first."""
        if _has_nul(self.model_dump()):
            raise ValueError("Text must not contain NUL characters.")
        return self


class ChangeOut(BaseModel):
    """One audited field in words (app/audit_view.py): `before` is null for a new value."""

    key: str
    label: str
    before: str | None
    after: str | None
    text: str = Field(description="label: before → after")


class MoneyOut(BaseModel):
    """An amount in won with the texts pages show (`ko`: 1억 1,500만 원, `en`: KRW ...)."""

    won: int
    ko: str
    en: str

    @classmethod
    def of(cls, amount: int) -> "MoneyOut":
        return cls(won=amount, ko=money.won(amount, "ko"), en=money.won(amount, "en"))
