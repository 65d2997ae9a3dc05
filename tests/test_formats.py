"""The formatting layer (app/formats.py) in both languages, with its edge cases."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app import formats

NOON = datetime(2026, 12, 2, 6, 40, tzinfo=UTC)  # 15:40 in Seoul, a Wednesday


@pytest.mark.parametrize(
    ("locale", "moment", "calendar_day"),
    [
        ("ko", "2026.12.02(수) 15:40", "2026.12.02(수)"),
        ("en", "Wed, Dec 2, 2026, 15:40", "Wed, Dec 2, 2026"),
    ],
)
def test_dates_are_seoul_time_in_each_convention(locale, moment, calendar_day) -> None:
    assert formats.when(NOON, locale) == moment
    assert formats.when(NOON.replace(tzinfo=None), locale) == moment  # naive is UTC
    assert formats.day(date(2026, 12, 2), locale) == calendar_day
    assert formats.when(None, locale) == formats.day(None, locale) == "—"


def test_a_moment_late_at_night_in_utc_is_the_next_seoul_day() -> None:
    late = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    assert formats.day(late, "ko") == "2026.12.02(수)"
    assert formats.when(late, "en") == "Wed, Dec 2, 2026, 05:00"


@pytest.mark.parametrize(
    ("left", "ko", "en"),
    [
        (timedelta(days=2, hours=3, minutes=5), "마감까지 2일 3시간", "2 days 3 hours left"),
        (timedelta(days=1), "마감까지 1일", "1 day left"),
        (timedelta(hours=5, minutes=7), "마감까지 5시간 7분", "5 hours 7 minutes left"),
        (timedelta(minutes=42), "마감까지 42분", "42 minutes left"),
        (timedelta(seconds=10), "마감까지 1분", "1 minute left"),
        (timedelta(days=400), "마감까지 400일", "400 days left"),
        (timedelta(0), "마감됨", "closed"),
        (timedelta(hours=-3), "마감됨", "closed"),
    ],
)
def test_countdowns(left, ko, en) -> None:
    assert formats.countdown(NOON + left, NOON, "ko") == ko
    assert formats.countdown(NOON + left, NOON, "en") == en


def test_no_deadline_has_no_countdown() -> None:
    assert formats.countdown(None, NOON, "ko") == ""


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        (25.8333, 1, "25.8"),
        (120.0, 1, "120"),
        (0, 1, "0"),
        (-0.04, 1, "0"),
        (-1234.56, 1, "-1,234.6"),
        (12_345_678_901_234.5, 0, "12,345,678,901,234"),
        (0.125, 2, "0.12"),
        (None, 1, "—"),
    ],
)
def test_numbers_round_sanely_with_separators(value, digits, shown) -> None:
    assert formats.number(value, "ko", digits) == shown
    assert formats.number(value, "en", digits) == shown  # both use , and .


def test_signed_changes() -> None:
    assert formats.signed(12.46, "en") == "+12.5"
    assert formats.signed(-3.0, "en") == "-3"
    assert formats.signed(0.01, "en") == "0"
    assert formats.signed(None, "en") == "—"
