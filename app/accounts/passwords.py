"""Password strength: zxcvbn's estimate of how many guesses a password takes (common and
breached-password lists, names, keyboard walks, repeats, dates), with the user's own e-mail,
name and organisation as words an attacker would try first. Runs offline."""

from typing import Any

from pydantic import ValidationInfo
from zxcvbn import zxcvbn

from app.i18n import Msgid

MIN_SCORE = 3  # zxcvbn's "safely unguessable" (about 10^8 guesses or more)
CHECKED_LENGTH = 72  # zxcvbn refuses longer input: its run time grows fast with length
HINT_FIELDS = ("email", "name", "organization_name")
WEAK = Msgid(
    "This password is too easy to guess: avoid common passwords, repeated characters "
    "and your own e-mail, name or organisation."
)


def hints_of(*values: str | None) -> list[str]:
    """The words of the user's own data, e-mail split at @ and dots too."""
    words = []
    for value in values:
        if value:
            words += [value, *value.replace("@", " ").replace(".", " ").split()]
    return words


def is_weak(password: str, hints: list[str]) -> bool:
    return zxcvbn(password[:CHECKED_LENGTH], user_inputs=hints)["score"] < MIN_SCORE


def strong(password: str, info: ValidationInfo) -> str:
    """A Pydantic field validator for `password`: the fields before it are the hints."""
    data: dict[str, Any] = info.data
    hints = hints_of(*(data.get(f) for f in HINT_FIELDS if isinstance(data.get(f), str)))
    if is_weak(password, hints):
        raise ValueError(WEAK)
    return password
