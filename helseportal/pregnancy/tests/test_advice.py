from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helseportal.pregnancy.advice import (
    DANGER_SIGNS,
    Level,
    Reported,
    RiskFactors,
    blood_pressure_advice,
    convulsion_advice,
    danger_sign_advice,
    fetal_heart_rate_flag,
    fetal_movement_advice,
    itching_advice,
    labour_advice,
    movement_concern,
    ogtt_offer,
    ogtt_result,
    sf_advice,
    sf_flags,
)
from helseportal.pregnancy.dates import GestationalAge


def level(advice):
    """The level as a number that also orders "no advice" (0) below INFO."""
    return advice.level if advice else 0


# --- Blood pressure --------------------------------------------------------------------------------------


@pytest.mark.parametrize("reading", [(139, 89), (120, 80), (139, 60)])
def test_readings_below_140_over_90_give_no_advice(reading):
    assert blood_pressure_advice([reading, reading, reading]) is None


@pytest.mark.parametrize("reading", [(140, 80), (120, 90), (140, 90), (159, 109)])
def test_two_readings_at_140_or_90_ask_her_to_contact_midwife_or_gp(reading):
    advice = blood_pressure_advice([reading, (120, 80), reading])
    assert advice is not None
    assert advice.level == Level.CONTACT
    assert "jordmor eller fastlege" in advice.text


@pytest.mark.parametrize("reading", [(140, 80), (120, 90), (159, 109)])
def test_one_high_reading_alone_asks_her_to_measure_again_after_rest(reading):
    advice = blood_pressure_advice([(120, 80), reading])
    assert advice is not None
    assert advice.level == Level.INFO
    assert "mål blodtrykket på nytt" in advice.text


@pytest.mark.parametrize("reading", [(160, 80), (120, 110), (160, 110), (200, 120)])
def test_a_single_reading_at_160_or_110_asks_her_to_make_contact_now(reading):
    advice = blood_pressure_advice([(120, 80), reading])
    assert advice is not None
    assert advice.level == Level.CONTACT_NOW


def test_no_readings_give_no_advice():
    assert blood_pressure_advice([]) is None


readings = st.lists(st.tuples(st.integers(60, 260), st.integers(30, 160)), min_size=1, max_size=6)


@given(readings, st.data())
def test_raising_a_reading_never_lowers_the_advice(before, data):
    index = data.draw(st.integers(0, len(before) - 1))
    systolic, diastolic = before[index]
    raised = (systolic + data.draw(st.integers(0, 40)), diastolic + data.draw(st.integers(0, 40)))
    after = [*before[:index], raised, *before[index + 1 :]]
    assert level(blood_pressure_advice(after)) >= level(blood_pressure_advice(before))


@given(readings, st.tuples(st.integers(60, 260), st.integers(30, 160)))
def test_adding_a_reading_never_lowers_the_advice(before, extra):
    assert level(blood_pressure_advice([*before, extra])) >= level(blood_pressure_advice(before))


# --- Danger signs and fetal movements --------------------------------------------------------------------

GA = GestationalAge


@pytest.mark.parametrize(
    "key", ["bleeding", "fever", "visual_disturbance", "early_labour", "waters_breaking", "sudden_swelling"]
)
def test_any_degree_of_these_danger_signs_asks_for_contact_now(key):
    advice = danger_sign_advice([Reported(key, "mild", GA(30))])
    assert advice is not None
    assert advice.level == Level.CONTACT_NOW
    assert advice.source


@pytest.mark.parametrize("key", ["bleeding", "fever", "visual_disturbance", "early_labour"])
def test_the_who_danger_signs_name_who_as_their_source(key):
    advice = danger_sign_advice([Reported(key)])
    assert advice is not None
    assert advice.source.startswith("WHO")


@pytest.mark.parametrize(
    ("key", "named", "source"),
    [
        ("waters_breaking", "vannavgang", "Helsenorge: Når fostervannet går"),
        ("sudden_swelling", "plutselig hevelse i ansiktet eller hendene", "NHI.no: Svangerskapsforgiftning"),
        ("regular_contractions", "regelmessige rier før uke 37", "Helsenorge: Prematur/for tidlig fødsel"),
    ],
)
def test_the_danger_signs_of_the_week_texts_get_advice_with_their_source(key, named, source):
    advice = danger_sign_advice([Reported(key, "mild", GA(30))])
    assert advice is not None
    assert named in advice.text
    assert "Kontakt fødeavdelingen eller legevakten nå" in advice.text
    assert advice.source.startswith(source)


@pytest.mark.parametrize(
    ("ga", "danger"), [(GA(36, 6), True), (GA(37, 0), False), (GA(39, 2), False), (GA(24), True), (None, True)]
)
def test_regular_contractions_are_a_danger_sign_before_37_0_only(ga, danger):
    advice = danger_sign_advice([Reported("regular_contractions", "moderate", ga)])
    assert (advice is not None) is danger


@pytest.mark.parametrize(("ga", "advised"), [(GA(36, 6), False), (GA(37, 0), True), (GA(41, 2), True)])
def test_regular_contractions_from_37_0_mean_ring_the_birth_unit_about_labour(ga, advised):
    advice = labour_advice(
        [Reported("regular_contractions", "moderate", ga)], "Fødeavdelingen, St. Olavs", "72 57 30 00"
    )
    assert (advice is not None) is advised
    if advice:
        assert advice.level == Level.CONTACT
        assert "fødselen er i gang" in advice.text
        assert advice.text.count("72 57 30 00") == 1


def test_several_sources_are_named_once_each():
    advice = danger_sign_advice([Reported("bleeding"), Reported("fever"), Reported("waters_breaking")])
    assert advice is not None
    assert advice.source == "WHO: danger signs in pregnancy; Helsenorge: Når fostervannet går"


@pytest.mark.parametrize("key", ["headache", "vomiting", "abdominal_pain"])
def test_headache_vomiting_and_abdominal_pain_count_only_when_severe(key):
    assert danger_sign_advice([Reported(key, "mild"), Reported(key, "moderate")]) is None
    advice = danger_sign_advice([Reported(key, "severe")])
    assert advice is not None
    assert advice.level == Level.CONTACT_NOW


def test_the_danger_sign_advice_names_what_she_reported():
    advice = danger_sign_advice(
        [Reported("nausea", "severe"), Reported("headache", "severe"), Reported("visual_disturbance", "mild")]
    )
    assert advice is not None
    assert "kraftig hodepine, synsforstyrrelser" in advice.text


def test_ordinary_symptoms_are_not_danger_signs():
    ordinary = [Reported("nausea", "severe"), Reported("fatigue", "severe"), Reported("heartburn", "mild")]
    assert danger_sign_advice(ordinary) is None
    assert danger_sign_advice([]) is None


@pytest.mark.parametrize("severity", ["mild", "severe"])
def test_convulsions_say_call_113_not_the_birth_unit(severity):
    advice = convulsion_advice([Reported("convulsions", severity, GA(30))])
    assert advice is not None
    assert advice.level == Level.CONTACT_NOW
    assert "ringe 113" in advice.text
    assert "fødeavdelingen" not in advice.text
    assert advice.phone == "113"
    assert advice.tel == "113"
    assert danger_sign_advice([Reported("convulsions", severity)]) is None  # not "contact the birth unit"
    assert convulsion_advice([Reported("headache", "severe")]) is None


def test_itching_asks_her_to_contact_the_midwife_about_cholestasis():
    advice = itching_advice([Reported("itching", "mild", GA(32))])
    assert advice is not None
    assert advice.level == Level.CONTACT
    assert "håndflatene eller under føttene" in advice.text
    assert "svangerskapskolestase" in advice.text
    assert "Intrahepatisk svangerskapskolestase" in advice.source
    assert itching_advice([Reported("nausea")]) is None


def test_reduced_fetal_movements_send_her_to_the_birth_unit_at_once_with_its_number():
    symptoms = [Reported("nausea"), Reported("reduced_fetal_movements", "moderate", GA(30))]
    advice = fetal_movement_advice(symptoms, "Fødeavdelingen, St. Olavs", "72 57 30 00")
    assert advice is not None
    assert advice.level == Level.CONTACT_NOW
    assert "kontakte fødeavdelingen med en gang" in advice.text
    assert "Fødeavdelingen, St. Olavs" in advice.text
    assert advice.phone == "72 57 30 00"
    assert "Lite liv" in advice.source


def test_the_birth_units_number_stands_once_and_becomes_the_link():
    advice = fetal_movement_advice([Reported("reduced_fetal_movements")], "Fødeavdelingen, St. Olavs", "72 57 30 00")
    assert advice is not None
    before, phone, after = advice.parts
    assert phone == "72 57 30 00"
    assert "72 57 30 00" not in before + after
    assert before.endswith("Ring Fødeavdelingen, St. Olavs på ")
    assert after == "."
    assert advice.tel == "72573000"


@pytest.mark.parametrize(
    ("ga", "level"),
    [
        (GA(11), None),  # issue 16: at week 11 movements are not felt yet
        (GA(15, 6), None),
        (GA(16, 0), Level.CONTACT),
        (GA(23, 6), Level.CONTACT),
        (GA(24, 0), Level.CONTACT_NOW),
        (GA(40, 3), Level.CONTACT_NOW),
        (None, Level.CONTACT_NOW),  # a week not known: the safe side
    ],
)
def test_reduced_fetal_movements_count_from_week_16_and_are_urgent_from_week_24(ga, level):
    assert movement_concern(ga) == level
    advice = fetal_movement_advice([Reported("reduced_fetal_movements", "moderate", ga)], "Fødeavdelingen", "1")
    assert (advice.level if advice else None) == level
    if level == Level.CONTACT:
        assert advice is not None
        assert "jordmor eller fastlege" in advice.text
        assert "fødeavdelingen" not in advice.text


def test_fetal_movement_advice_says_what_it_can_when_the_birth_unit_is_unknown():
    advice = fetal_movement_advice([Reported("reduced_fetal_movements")], "", "")
    assert advice is not None
    assert advice.text.endswith("Ikke vent til neste kontroll.")
    assert advice.phone == ""
    assert advice.parts == (advice.text, "", "")


def test_without_reduced_movements_there_is_no_fetal_movement_advice():
    assert fetal_movement_advice([Reported("nausea")], "Fødeavdelingen", "72 57 30 00") is None


# --- Gestational diabetes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("risk", "in_group"),
    [
        (RiskFactors(age=25, first_birth=True), False),
        (RiskFactors(age=26, first_birth=True), True),
        (RiskFactors(age=40, earlier_births=True), False),
        (RiskFactors(age=41, earlier_births=True), True),
        (RiskFactors(age=41, first_birth=True), True),  # first birth and over 25
        (RiskFactors(age=30, earlier_births=True), False),
        (RiskFactors(age=30, pre_pregnancy_bmi=Decimal("25.0")), False),
        (RiskFactors(age=30, pre_pregnancy_bmi=Decimal("25.1")), True),
        (RiskFactors(age=30, pre_pregnancy_bmi=25.1), True),
        (RiskFactors(age=30, asian_or_african_background=True), True),
        (RiskFactors(age=30, earlier_gdm=True), True),
        (RiskFactors(age=30, earlier_child_over_4500_g=True), True),
        (RiskFactors(age=30, earlier_shoulder_dystocia=True), True),
        (RiskFactors(age=30, earlier_pre_eclampsia=True), True),
        (RiskFactors(age=30, parent_or_sibling_with_diabetes=True), True),
        (RiskFactors(age=30, known_impaired_glucose_tolerance=True), True),
        (RiskFactors(age=30), False),
    ],
)
def test_the_risk_groups_follow_the_guideline(risk, in_group):
    assert bool(risk.reasons()) is in_group
    assert (ogtt_offer(risk, GestationalAge(26)) is not None) is in_group


def test_the_risk_groups_are_named():
    risk = RiskFactors(age=28, first_birth=True, pre_pregnancy_bmi=27, earlier_gdm=True)
    assert risk.reasons() == ("first_birth_over_25", "bmi_over_25", "earlier_gdm")


@pytest.mark.parametrize(
    ("ga", "key"),
    [
        (GestationalAge(11), "ogtt_will_be_offered"),
        (GestationalAge(23, 6), "ogtt_will_be_offered"),
        (GestationalAge(24, 0), "ogtt_offer"),
        (GestationalAge(28, 6), "ogtt_offer"),
        (GestationalAge(29, 0), None),
    ],
)
def test_the_ogtt_is_offered_from_24_0_through_28_6(ga, key):
    advice = ogtt_offer(RiskFactors(age=28, first_birth=True), ga)
    assert (advice.key if advice else None) == key
    if advice:
        assert advice.level == Level.INFO
        assert "75 g" in advice.text


@pytest.mark.parametrize("ga", [GestationalAge(12), GestationalAge(26)])
def test_a_woman_with_known_diabetes_is_not_told_to_take_the_ogtt(ga):
    risk = RiskFactors(age=30, earlier_gdm=True, pre_pregnancy_bmi=31)
    assert ogtt_offer(risk, ga) is not None
    assert ogtt_offer(risk, ga, known_diabetes=True) is None


@pytest.mark.parametrize(
    ("fasting", "two_hour", "expected"),
    [
        ("5.2", "8.9", None),
        ("5.3", "8.9", Level.CONTACT),
        ("6.9", "8.9", Level.CONTACT),
        ("7.0", "8.9", Level.CONTACT_NOW),
        ("5.2", "9.0", Level.CONTACT),
        ("5.2", "11.0", Level.CONTACT),
        ("5.2", "11.1", Level.CONTACT_NOW),
        ("6.9", "11.0", Level.CONTACT),
        ("7.0", "11.1", Level.CONTACT_NOW),
    ],
)
def test_ogtt_results_follow_the_gdm_thresholds(fasting, two_hour, expected):
    advice = ogtt_result(Decimal(fasting), Decimal(two_hour))
    assert (advice.level if advice else None) == expected
    # Floats must meet the same edges: Decimal(5.3) is 5.2999…, which must not slip under 5.3.
    float_advice = ogtt_result(float(fasting), float(two_hour))
    assert (float_advice.level if float_advice else None) == expected


def test_an_ogtt_with_one_value_missing_is_judged_on_the_other():
    assert level(ogtt_result(None, Decimal("11.1"))) == Level.CONTACT_NOW
    assert level(ogtt_result(Decimal("5.3"), None)) == Level.CONTACT
    assert ogtt_result(None, None) is None


def test_advice_on_an_ogtt_never_states_a_diagnosis():
    advice = ogtt_result(Decimal("7.5"), Decimal("12.0"))
    assert advice is not None
    assert "du har" not in advice.text.lower()
    assert "retningslinjen" in advice.text


# --- Fetal heart rate and SF-mål -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bpm", "flagged"), [(100, True), (109, True), (110, False), (140, False), (160, False), (161, True), (180, True)]
)
def test_a_fetal_heart_rate_outside_figos_normal_baseline_110_to_160_is_flagged(bpm, flagged):
    assert fetal_heart_rate_flag(bpm) is flagged


def test_sf_mal_along_the_curve_raises_no_flag():
    assert (
        sf_flags(
            [(GestationalAge(24), 24), (GestationalAge(28), 28), (GestationalAge(32), 31), (GestationalAge(36), 35)]
        )
        == []
    )
    assert sf_flags([]) == []


def test_a_first_sf_mal_below_minus_two_sd_is_flagged():
    # At 24+0, −2 SD is 20.5 cm.
    assert "first_below_2sd" in sf_flags([(GestationalAge(24), 20)])
    assert sf_flags([(GestationalAge(24), 21)]) == []


def test_two_sf_mal_below_minus_two_sd_are_flagged():
    # −2 SD is 24.3 cm at 28+0 and 26.1 cm at 30+0; the first measurement lies inside the band.
    flags = sf_flags([(GestationalAge(24), 21), (GestationalAge(28), 24), (GestationalAge(30), 26)])
    assert flags == ["two_below_2sd"]
    assert "two_below_2sd" not in sf_flags(
        [(GestationalAge(24), 21), (GestationalAge(28), 24), (GestationalAge(30), 27)]
    )


def test_no_increase_over_three_weeks_is_flagged():
    assert "no_increase_3_weeks" in sf_flags([(GestationalAge(24), 24), (GestationalAge(27), 24)])
    assert "no_increase_3_weeks" in sf_flags(
        [(GestationalAge(24), 24), (GestationalAge(26), 26), (GestationalAge(27), 23)]
    )
    assert "no_increase_3_weeks" not in sf_flags([(GestationalAge(24), 24), (GestationalAge(26, 6), 24)])  # 20 days
    assert "no_increase_3_weeks" not in sf_flags([(GestationalAge(24), 24), (GestationalAge(27), 25)])


def test_three_cm_above_her_own_expected_curve_is_flagged():
    # Her first value, 24 cm at 24+0, is z = +0.15; carried forward that expects 27.9 cm at 28+0.
    assert "above_own_curve_3cm" in sf_flags([(GestationalAge(24), 24), (GestationalAge(28), 31)])
    assert "above_own_curve_3cm" not in sf_flags([(GestationalAge(24), 24), (GestationalAge(28), 30)])


def test_the_order_of_measurements_does_not_matter():
    measurements = [(GestationalAge(28), 24), (GestationalAge(24), 20), (GestationalAge(30), 26)]
    assert sf_flags(measurements) == sf_flags(sorted(measurements))
    assert sf_flags(measurements)[0] == "first_below_2sd"


def test_measurements_outside_the_standard_are_not_judged():
    assert sf_flags([(GestationalAge(12), 5), (GestationalAge(43), 60)]) == []


def test_sf_flags_become_advice_to_talk_about_a_growth_ultrasound():
    assert sf_advice([]) is None
    advice = sf_advice(["first_below_2sd"])
    assert advice is not None
    assert advice.level == Level.CONTACT
    assert "ultralyd" in advice.text
    high = sf_advice(["above_own_curve_3cm"])
    assert high is not None
    assert "glukosebelastning" in high.text


# --- Every piece of advice names its source --------------------------------------------------------------


def every_advice():
    return [
        blood_pressure_advice([(160, 110)]),
        blood_pressure_advice([(140, 90), (140, 90)]),
        blood_pressure_advice([(140, 90)]),
        *(danger_sign_advice([Reported(key, "severe", GA(30))]) for key in DANGER_SIGNS),
        convulsion_advice([Reported("convulsions")]),
        itching_advice([Reported("itching")]),
        labour_advice([Reported("regular_contractions", "mild", GA(38))], "Fødeavdelingen", "72 57 30 00"),
        fetal_movement_advice([Reported("reduced_fetal_movements", "mild", GA(30))], "Fødeavdelingen", "72 57 30 00"),
        fetal_movement_advice([Reported("reduced_fetal_movements", "mild", GA(20))], "Fødeavdelingen", "72 57 30 00"),
        ogtt_offer(RiskFactors(age=30, earlier_gdm=True), GestationalAge(12)),
        ogtt_offer(RiskFactors(age=30, earlier_gdm=True), GestationalAge(25)),
        ogtt_result(Decimal("5.5"), None),
        ogtt_result(Decimal("7.5"), None),
        sf_advice(["two_below_2sd"]),
    ]


def test_every_piece_of_advice_names_its_source_and_says_something():
    for advice in every_advice():
        assert advice is not None
        assert advice.source.strip()
        assert advice.text.strip()
        assert advice.key


def test_the_levels_order_from_information_to_contact_now():
    assert Level.INFO < Level.CONTACT < Level.CONTACT_NOW
    assert max(a.level for a in every_advice() if a) == Level.CONTACT_NOW
