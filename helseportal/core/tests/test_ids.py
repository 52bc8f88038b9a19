import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helseportal.core.ids import InvalidPersonId, PidKind, age_on, parse_pid, synthetic_fnr


def test_it_accepts_a_real_format_fodselsnummer():
    pid = parse_pid("151086 95088", allow_synthetic=False)
    assert pid.value == "15108695088"
    assert pid.kind == PidKind.FNR
    assert pid.birth_date == datetime.date(1986, 10, 15)
    assert pid.masked == "151086*****"


def test_it_rejects_a_wrong_check_digit():
    with pytest.raises(InvalidPersonId, match="Kontrollsifrene"):
        parse_pid("15108695077", allow_synthetic=False)


@pytest.mark.parametrize("text", ["", "1234", "1510869508x", "151086950881"])
def test_it_rejects_numbers_that_are_not_eleven_digits(text):
    with pytest.raises(InvalidPersonId, match="11 sifre"):
        parse_pid(text, allow_synthetic=False)


def test_it_reads_a_d_number_birth_date():
    # Day + 40 marks a D-nummer; check digits computed for 55108695???.
    pid = parse_pid(synthetic_like_dnr(), allow_synthetic=False)
    assert pid.kind == PidKind.DNR
    assert pid.birth_date == datetime.date(1986, 10, 15)


def synthetic_like_dnr() -> str:
    from stdnum.no import fodselsnummer

    for individual in range(100, 200):
        base = f"551086{individual:03d}"
        k1 = fodselsnummer.calc_check_digit1(base)
        k2 = fodselsnummer.calc_check_digit2(base + k1) if len(k1) == 1 else "10"
        if len(k1) == 1 and len(k2) == 1:
            return base + k1 + k2
    raise AssertionError("no D-number found")


def test_it_refuses_synthetic_numbers_when_test_identities_are_off():
    kari = synthetic_fnr(datetime.date(1994, 3, 12), 401)
    with pytest.raises(InvalidPersonId, match="Syntetiske"):
        parse_pid(kari, allow_synthetic=False)
    assert parse_pid(kari, allow_synthetic=True).synthetic


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2039, 12, 31)),
    st.integers(min_value=0, max_value=449),
)
def test_synthetic_numbers_round_trip_their_birth_date(birth_date, individual):
    # Individual numbers 000–499 mean 1900–1999; 500–999 with year < 40 mean 2000–2039.
    if birth_date.year >= 2000:
        individual += 500
    pid = parse_pid(synthetic_fnr(birth_date, individual), allow_synthetic=True)
    assert pid.birth_date == birth_date
    assert pid.synthetic


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (datetime.date(2010, 6, 15), datetime.date(2026, 6, 14), 15),
        (datetime.date(2010, 6, 15), datetime.date(2026, 6, 15), 16),
        (datetime.date(2008, 2, 29), datetime.date(2026, 2, 28), 17),
        (datetime.date(2008, 2, 29), datetime.date(2026, 3, 1), 18),
    ],
)
def test_age_turns_on_the_birthday(born, day, age):
    assert age_on(born, day) == age
