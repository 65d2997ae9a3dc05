"""사업자등록번호 (business registration number): ten digits, the last a check digit.

The National Tax Service's check: weights 1,3,7,1,3,7,1,3,5 on the first nine digits, plus
the tens digit of (ninth digit x 5); the check digit makes the sum a multiple of ten.
"""

from typing import Annotated

from pydantic import BeforeValidator

from app.i18n import Msgid
from app.schemas import OneLine

WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
NOT_VALID = Msgid(
    "Enter a valid business registration number: 10 digits, as 123-45-67890, "
    "with a correct check digit."
)


def check_digit(first_nine: str) -> int:
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, WEIGHTS, strict=True)) + digits[8] * 5 // 10
    return (10 - total % 10) % 10


def is_valid(number: str) -> bool:
    return (
        len(number) == 10
        and number.isascii()
        and number.isdigit()
        and (check_digit(number[:9]) == int(number[9]))
    )


def normalize(value: object) -> object:
    """Digits only (hyphens and spaces dropped); anything not a valid number is refused."""
    if not isinstance(value, str):
        return value
    digits = value.replace("-", "").replace(" ", "").strip()
    if not is_valid(digits):
        raise ValueError(NOT_VALID)
    return digits


def shown(number: str | None) -> str:
    """123-45-67890, the way the number is printed on the certificate."""
    return f"{number[:3]}-{number[3:5]}-{number[5:]}" if number else ""


BusinessNumber = Annotated[str, BeforeValidator(normalize), OneLine]
