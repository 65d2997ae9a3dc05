"""Pydantic building blocks shared by the features' request models."""

from typing import Annotated, Any

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Password = Annotated[str, StringConstraints(min_length=10, max_length=200)]
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
