"""Won formatting, defined once: Korean in 조/억/만 units ("1억 1,500만 원"), English with
separators ("KRW 115,000,000"). Amounts are integer won; the bid forms' 만원 fields are
multiplied out before they get here. Templates use it as the `won` filter."""

from dataclasses import dataclass

from babel.numbers import format_decimal

UNITS = ((10**12, "조"), (10**8, "억"), (10**4, "만"))
MANWON = 10_000  # bids, budgets and price ranges are entered in 만원


def won(amount: int | None, locale: str) -> str:
    """The amount as the reader expects it; None (not set) is a dash."""
    if amount is None:
        return "—"
    if locale != "ko":
        sign = "-" if amount < 0 else ""
        return f"{sign}KRW {format_decimal(abs(amount), locale='en')}"
    return korean(amount)


def korean(amount: int) -> str:
    """Each 만-group with thousands separators: 1,234,567,890 is "12억 3,456만 7,890 원"."""
    if amount == 0:
        return "0 원"
    rest, parts = abs(amount), []
    for size, unit in UNITS:
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{format_decimal(count, locale='ko')}{unit}")
    if rest:
        parts.append(format_decimal(rest, locale="ko"))
    return ("-" if amount < 0 else "") + " ".join(parts) + " 원"


def manwon(amount: int | None, locale: str) -> str:
    """An amount entered in 만원 (bids, budgets), shown like any other."""
    return won(None if amount is None else amount * MANWON, locale)


@dataclass(frozen=True)
class Won:
    """An amount as a message parameter, shown in the reader's language."""

    amount: int

    def label(self, locale: str) -> str:
        return won(self.amount, locale)
