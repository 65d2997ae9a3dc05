"""Dates, countdowns and numbers as people read them, defined once (won amounts: app/money.py).

Pages, e-mails and PDFs show Seoul time in each reader's convention: Korean
"2026.12.02(수) 15:40", English "Wed, Dec 2, 2026, 15:40". Exports keep ISO 8601 for
machines. Templates use these as the `when`, `day`, `countdown` and `number` filters."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from babel.units import format_unit

from app import vocab
from app.i18n import gettext

SEOUL = ZoneInfo("Asia/Seoul")
DASH = "—"
DATETIME = {"ko": "yyyy.MM.dd(E) HH:mm", "en": "EEE, MMM d, y, HH:mm"}
DATE = {"ko": "yyyy.MM.dd(E)", "en": "EEE, MMM d, y"}


def when(value: datetime | None, locale: str) -> str:
    """A moment in Seoul time; naive values are taken as UTC (how the database stores them)."""
    if value is None:
        return DASH
    return format_datetime(_aware(value), DATETIME[_lang(locale)], tzinfo=SEOUL, locale=locale)


def day(value: date | datetime | None, locale: str) -> str:
    """A calendar day; a datetime is first moved to its Seoul day."""
    if value is None:
        return DASH
    if isinstance(value, datetime):
        value = _aware(value).astimezone(SEOUL).date()
    return format_date(value, DATE[_lang(locale)], locale=locale)


def countdown(deadline: datetime | None, now: datetime, locale: str) -> str:
    """Time left to a deadline in its two largest units ("마감까지 2일 3시간"), or closed."""
    if deadline is None:
        return ""
    left = _aware(deadline) - _aware(now)
    if left <= timedelta(0):
        return gettext(locale, "closed")
    return gettext(locale, "%(time)s left", time=duration(left, locale))


def duration(span: timedelta, locale: str) -> str:
    """Days and hours, or hours and minutes under a day; at least one minute."""
    minutes = max(1, int(span.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [("day", days), ("hour", hours)] if days else [("hour", hours), ("minute", minutes)]
    length = "short" if _lang(locale) == "ko" else "long"  # Babel's Korean long units are empty
    shown = [format_unit(n, unit, length=length, locale=locale) for unit, n in parts if n]
    return " ".join(shown)


def number(value: float | None, locale: str, digits: int = 1) -> str:
    """Separators and at most `digits` decimals, no trailing zeros: 25.8333 is "25.8", 2.0 "2"."""
    if value is None:
        return DASH
    rounded = round(value, digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(rounded, pattern, locale=locale)


def unit(code: str | None, locale: str) -> str:
    """A KPI unit code's label ("만원/년", "KRW 10k/year"); text nobody mapped shows as typed."""
    if not code:
        return ""
    return vocab.KPI_UNITS[code].label(locale) if code in vocab.KPI_UNITS else code


def measure(value: float | None, code: str | None, locale: str) -> str:
    """A KPI figure with its unit: "1.8%", "140,000 만원/년"."""
    if value is None:
        return DASH
    label = unit(code, locale)
    glue = "" if not label or label == "%" else " "
    return number(value, locale, 2) + glue + label


def signed(value: float | None, locale: str, digits: int = 1) -> str:
    """A change with its sign: "+12.5", "-3", "0"."""
    text = number(value, locale, digits)
    return "+" + text if value is not None and round(value, digits) > 0 else text


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))


def _lang(locale: str) -> str:
    return "ko" if locale.startswith("ko") else "en"
