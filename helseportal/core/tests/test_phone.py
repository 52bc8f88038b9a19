"""normalise_mobile: every way people write a Norwegian mobile number becomes the same eight digits."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helseportal.core.phone import normalise_mobile


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("41234567", "41234567"),
        ("+47 412 34 567", "41234567"),
        ("0047 912-34-567", "91234567"),
        ("+4791234567", "91234567"),
        ("(+47) 412.34.567", "41234567"),
        (" 412 34 567\n", "41234567"),
    ],
)
def test_it_accepts_a_mobile_number_however_it_is_written(text: str, number: str):
    assert normalise_mobile(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "4123456",  # seven digits
        "412345678",  # nine digits
        "22 33 44 55",  # a landline in Oslo
        "81234567",  # eight digits, but not a mobile series
        "0412 34 567",
        "+46 412 34 567",  # a Swedish number
        "412 34 56a",
        "tlf. 41234567",
        "",
    ],
)
def test_it_refuses_what_is_not_a_norwegian_mobile_number(text: str):
    assert normalise_mobile(text) is None


def test_it_refuses_nothing_at_all():
    assert normalise_mobile(None) is None  # type: ignore[arg-type]


mobiles = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("49"),
    st.text(alphabet="0123456789", min_size=7, max_size=7),
)
separators = st.text(alphabet=" -.()", max_size=2)


@given(
    number=mobiles,
    prefix=st.sampled_from(["", "+47", "0047", "+47 ", "0047 "]),
    gaps=st.lists(separators, min_size=8, max_size=8),
)
def test_any_formatting_of_a_mobile_number_gives_back_the_eight_digits(number: str, prefix: str, gaps: list[str]):
    written = prefix + "".join(digit + gap for digit, gap in zip(number, gaps, strict=True))
    assert normalise_mobile(written) == number


@given(first=st.sampled_from("01235678"), rest=st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_eight_digits_starting_with_anything_but_4_or_9_are_refused(first: str, rest: str):
    assert normalise_mobile(first + rest) is None


@given(text=st.text(alphabet="0123456789+ -", max_size=16))
def test_whatever_it_accepts_is_eight_ascii_digits_starting_with_4_or_9(text: str):
    number = normalise_mobile(text)
    if number is not None:
        assert len(number) == 8
        assert number.isascii()
        assert number.isdigit()
        assert number[0] in "49"
