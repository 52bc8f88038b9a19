import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helseportal.pregnancy import intergrowth


@pytest.mark.parametrize(
    ("weeks", "mean", "sd"),
    # The check values in DOMAIN.md §3 (Papageorghiou et al., BMJ 2016), to the decimals stated there.
    [(24, 23.8, 1.61), (36, 34.9, 1.92), (40, 38.0, 2.02)],
)
def test_the_curve_meets_the_published_check_values(weeks, mean, sd):
    assert round(intergrowth.mean_cm(weeks), 1) == mean
    assert round(intergrowth.sd_cm(weeks), 2) == sd


def test_the_band_is_two_standard_deviations_either_side_of_the_mean():
    low, high = intergrowth.band(24)
    assert low == pytest.approx(23.7546 - 2 * 1.61168, abs=1e-3)
    assert high == pytest.approx(23.7546 + 2 * 1.61168, abs=1e-3)
    assert intergrowth.band(24, z=1.0)[1] == pytest.approx(intergrowth.mean_cm(24) + intergrowth.sd_cm(24))


def test_a_value_on_the_mean_has_z_score_zero_and_one_sd_above_has_one():
    assert intergrowth.z_score(36, intergrowth.mean_cm(36)) == pytest.approx(0)
    assert intergrowth.z_score(36, intergrowth.mean_cm(36) + intergrowth.sd_cm(36)) == pytest.approx(1)


@pytest.mark.parametrize("weeks", [15.99, 42.01, 0, -1, math.nan, math.inf])
def test_it_refuses_ages_outside_16_to_42_weeks(weeks):
    for function in (intergrowth.mean_cm, intergrowth.sd_cm, intergrowth.band):
        with pytest.raises(ValueError, match="16–42 weeks"):
            function(weeks)
    with pytest.raises(ValueError, match="16–42 weeks"):
        intergrowth.z_score(weeks, 30)


def test_it_accepts_both_ends_of_its_range():
    assert intergrowth.mean_cm(16) == pytest.approx(15.81, abs=0.01)
    assert intergrowth.mean_cm(42) == pytest.approx(39.33, abs=0.01)


def test_the_chart_curve_covers_the_whole_standard():
    curve = intergrowth.curve(2)
    assert (curve[0][0], curve[-1][0]) == (16, 42)
    assert len(curve) == 53
    assert curve[16][1] == pytest.approx(intergrowth.band(24)[1])


@given(st.floats(min_value=16, max_value=42), st.floats(min_value=16, max_value=42))
def test_the_mean_and_sd_grow_with_gestational_age(one, other):
    earlier, later = sorted((one, other))
    if later - earlier > 1e-6:
        assert intergrowth.mean_cm(later) > intergrowth.mean_cm(earlier)
        assert intergrowth.sd_cm(later) > intergrowth.sd_cm(earlier)


@given(st.floats(min_value=16, max_value=42), st.floats(min_value=-4, max_value=4))
def test_z_score_inverts_the_centile(weeks, z):
    assert intergrowth.z_score(weeks, intergrowth.centile_cm(weeks, z)) == pytest.approx(z, abs=1e-9)
