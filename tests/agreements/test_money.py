import pytest

from app.money import manwon, won


@pytest.mark.parametrize(
    ("amount", "ko", "en"),
    [
        (115_000_000, "1억 1,500만 원", "KRW 115,000,000"),
        (1_234_567_890, "12억 3,456만 7,890 원", "KRW 1,234,567,890"),
        (50_000_000, "5,000만 원", "KRW 50,000,000"),
        (100_000_000, "1억 원", "KRW 100,000,000"),
        (2_000_000_000_000, "2조 원", "KRW 2,000,000,000,000"),
        (7_500, "7,500 원", "KRW 7,500"),
        (0, "0 원", "KRW 0"),
        (-30_000, "-3만 원", "-KRW 30,000"),
    ],
)
def test_won_in_korean_units_and_english_separators(amount: int, ko: str, en: str) -> None:
    assert won(amount, "ko") == ko
    assert won(amount, "en") == en


def test_manwon_fields_are_multiplied_out_and_none_is_a_dash() -> None:
    assert manwon(11_500, "ko") == "1억 1,500만 원"
    assert manwon(None, "en") == "—"
