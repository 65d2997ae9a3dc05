"""사업자등록번호: the National Tax Service's check digit, unique, entered at registration."""

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from app.accounts.business import check_digit, is_valid, shown
from app.accounts.schemas import Registration
from app.models import Organization
from tests.builders import PASSWORD, business_number

BODY = {
    "kind": "supplier",
    "organization_name": "창원비전AI",
    "name": "김코딩",
    "email": "kim@vision.example.kr",
    "password": PASSWORD,
    "consent": True,
}


@pytest.mark.parametrize("number", ["2208162517", "1248100998", "1208147521"])
def test_real_numbers_pass(number: str) -> None:
    assert is_valid(number)


@pytest.mark.parametrize(
    "number",
    ["2208162518", "1234567890", "220816251", "22081625170", "220816251a", "２２０８１６２５１７"],
)
def test_a_wrong_check_digit_length_or_character_fails(number: str) -> None:
    assert not is_valid(number)


def test_the_ninth_digit_counts_twice() -> None:
    """The tens digit of 9th x 5 is added: 9th digit 9 -> 45 -> +4 (a common slip is to drop it)."""
    assert check_digit("123456789") == (10 - (1 + 6 + 21 + 4 + 15 + 42 + 7 + 24 + 45 + 4) % 10) % 10


def test_hyphens_are_dropped_and_the_number_shown_with_them() -> None:
    data = Registration(**BODY, business_number="220-81-62517")
    assert data.business_number == "2208162517" and shown(data.business_number) == "220-81-62517"
    with pytest.raises(ValidationError):
        Registration(**BODY, business_number="220-81-62518")


def test_builder_numbers_are_valid() -> None:
    assert all(is_valid(business_number(n)) for n in range(1, 200))


def test_registration_refuses_a_bad_or_taken_number_with_a_field_error(browser, session) -> None:
    form = {**BODY, "consent": "true", "business_number": "123-45-67890"}
    bad = browser.post("/register", form)
    assert bad.status_code == 422 and 'id="business_number-error"' in bad.text
    assert browser.post("/register", {**form, "business_number": "2208162517"}).status_code == 303
    browser.logout()
    taken = browser.post(
        "/register", {**form, "business_number": "220-81-62517", "email": "other@x.example.kr"}
    )
    assert taken.status_code == 409 and 'id="business_number-error"' in taken.text
    api = browser.api(
        "POST",
        "/api/register",
        {**BODY, "business_number": "2208162517", "email": "o@x.example.kr"},
    )
    assert api.status_code == 409
    numbers = session.scalars(select(Organization.business_number)).all()
    assert numbers.count("2208162517") == 1
