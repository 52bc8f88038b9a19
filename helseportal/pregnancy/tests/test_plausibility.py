import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helseportal.pregnancy.plausibility import (
    ImplausibleMeasurement,
    validate_blood_pressure,
    validate_glucose,
    validate_pulse,
    validate_sf,
    validate_weight,
)


@pytest.mark.parametrize(("systolic", "diastolic"), [(60, 30), (260, 160), (120, 80), (61, 60)])
def test_it_accepts_blood_pressure_within_its_bounds(systolic, diastolic):
    validate_blood_pressure(systolic, diastolic)


def test_it_rejects_systolic_blood_pressure_below_60():
    with pytest.raises(ImplausibleMeasurement, match=r"øvre tallet .* mellom 60 og 260 mmHg"):
        validate_blood_pressure(59, 40)


def test_it_rejects_blood_pressure_above_260():
    with pytest.raises(ImplausibleMeasurement, match="mellom 60 og 260 mmHg"):
        validate_blood_pressure(261, 90)


def test_it_rejects_diastolic_blood_pressure_below_30():
    with pytest.raises(ImplausibleMeasurement, match=r"nedre tallet .* mellom 30 og 160 mmHg"):
        validate_blood_pressure(120, 29)


def test_it_rejects_diastolic_blood_pressure_above_160():
    with pytest.raises(ImplausibleMeasurement, match="mellom 30 og 160 mmHg"):
        validate_blood_pressure(200, 161)


@pytest.mark.parametrize(("systolic", "diastolic"), [(80, 120), (90, 90)])
def test_it_rejects_a_systolic_not_above_the_diastolic(systolic, diastolic):
    # The commonest typo: the two numbers swapped.
    with pytest.raises(ImplausibleMeasurement, match="høyere enn det nedre"):
        validate_blood_pressure(systolic, diastolic)


@pytest.mark.parametrize("kg", [Decimal("30.0"), Decimal("250.0"), 70, 68.4])
def test_it_accepts_weights_from_30_to_250_kg(kg):
    validate_weight(kg)


@pytest.mark.parametrize("kg", [Decimal("29.9"), Decimal("250.1"), 29.9, 250.1, 0, 7000])
def test_it_rejects_weights_outside_30_to_250_kg(kg):
    with pytest.raises(ImplausibleMeasurement, match="Vekten må være mellom 30 og 250 kg"):
        validate_weight(kg)


@pytest.mark.parametrize("mmol", [Decimal("1.0"), Decimal("35.0"), 5.3])
def test_it_accepts_blood_glucose_from_1_to_35(mmol):
    validate_glucose(mmol)


@pytest.mark.parametrize("mmol", [Decimal("0.9"), Decimal("35.1"), 0.9, 35.1])
def test_it_rejects_blood_glucose_outside_1_to_35(mmol):
    with pytest.raises(ImplausibleMeasurement, match="Blodsukkeret må være mellom 1 og 35 mmol/L"):
        validate_glucose(mmol)


@pytest.mark.parametrize(("pulse", "plausible"), [(29, False), (30, True), (220, True), (221, False)])
def test_it_accepts_a_pulse_from_30_to_220(pulse, plausible):
    if plausible:
        validate_pulse(pulse)
    else:
        with pytest.raises(ImplausibleMeasurement, match="Pulsen må være mellom 30 og 220"):
            validate_pulse(pulse)


@pytest.mark.parametrize(("cm", "plausible"), [(9, False), (10, True), (50, True), (51, False)])
def test_it_accepts_sf_mal_from_10_to_50_cm(cm, plausible):
    if plausible:
        validate_sf(cm)
    else:
        with pytest.raises(ImplausibleMeasurement, match="SF-mål må være mellom 10 og 50 cm"):
            validate_sf(cm)


@pytest.mark.parametrize("cm", [24.5, Decimal("24.5")])
def test_it_rejects_sf_mal_in_part_centimetres(cm):
    with pytest.raises(ImplausibleMeasurement, match="hele centimeter"):
        validate_sf(cm)


def test_it_accepts_sf_mal_written_as_a_whole_decimal():
    validate_sf(Decimal("24"))
    validate_sf(24.0)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, Decimal("NaN"), True])
def test_it_rejects_values_that_are_not_numbers(value):
    for check in (validate_weight, validate_glucose, validate_pulse, validate_sf):
        with pytest.raises(ImplausibleMeasurement):
            check(value)


def test_the_error_is_a_value_error_carrying_its_message():
    with pytest.raises(ValueError, match="Vekten") as caught:
        validate_weight(10)
    assert caught.value.message == str(caught.value)


@given(st.integers(60, 260), st.integers(30, 160))
def test_every_reading_inside_the_bounds_passes_unless_the_numbers_are_swapped(systolic, diastolic):
    if systolic > diastolic:
        validate_blood_pressure(systolic, diastolic)
    else:
        with pytest.raises(ImplausibleMeasurement):
            validate_blood_pressure(systolic, diastolic)
