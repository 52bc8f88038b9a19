"""The worklist's flags: what raises each one, at its edges, and the link to the data behind it on her card."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from helseportal.core.actor import Actor
from helseportal.core.time import OSLO, today
from helseportal.pregnancy import services
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.tests.test_card_views import client_for, share_with_mette, start_at

pytestmark = pytest.mark.django_db

# The element ids of the sections of her card on the midwife's card view (`/helsepersonell/gravid/<id>/`).
ANCHORS = {"hjemmemalinger", "symptomer", "huskelapp", "kartlegging", "konsultasjoner", "prover", "sf-mal"}


def flags(mette: Actor) -> dict[str, tuple[str, str]]:
    """The worklist's flags as text → (colour, link)."""
    html = client_for(mette).get(reverse("pregnancy:worklist")).content.decode()
    found = re.findall(
        r'<a class="ds-link" href="([^"]+)"><span class="ds-tag" data-color="(\w+)">([^<]+)</span></a>', html
    )
    return {text: (color, href) for href, color, text in found}


def at(kari: Actor, weeks: int, days: int = 0) -> Pregnancy:
    """Kari's pregnancy at `weeks`+`days` today, shared with Mette read-and-write."""
    pregnancy = start_at(kari, weeks=weeks, days=days)
    share_with_mette(kari)
    return pregnancy


def link(pregnancy: Pregnancy, anchor: str) -> str:
    assert anchor in ANCHORS
    return f"/helsepersonell/gravid/{pregnancy.pk}/#{anchor}"


def own_bp(kari: Actor, pregnancy: Pregnancy, systolic: int, diastolic: int, hours_ago: int = 1):
    when = datetime.datetime.now(tz=OSLO) - datetime.timedelta(hours=hours_ago)
    with transaction.atomic():
        return services.add_own_measurement(
            kari, pregnancy, kind="bp", measured_at=when, systolic=systolic, diastolic=diastolic
        )


def consultation(mette: Actor, pregnancy: Pregnancy, **fields):
    with transaction.atomic():
        return services.add_consultation(mette, pregnancy, **{"date": today(), **fields})


# --- Blood pressure ----------------------------------------------------------------------------------------


def test_high_readings_of_her_own_link_to_her_home_readings(kari: Actor, mette: Actor):
    pregnancy = at(kari, 30)
    own_bp(kari, pregnancy, 145, 92, hours_ago=1)
    own_bp(kari, pregnancy, 146, 91, hours_ago=30)
    assert flags(mette) == {"Blodtrykk 140/90 eller høyere to ganger": ("warning", link(pregnancy, "hjemmemalinger"))}


def test_high_readings_at_consultations_link_to_the_consultations(kari: Actor, mette: Actor):
    pregnancy = at(kari, 30)
    consultation(mette, pregnancy, systolic=162, diastolic=95)
    own_bp(kari, pregnancy, 120, 80)
    assert flags(mette) == {"Blodtrykk 160/110 eller høyere": ("danger", link(pregnancy, "konsultasjoner"))}


def test_a_reading_she_marked_in_error_raises_no_flag_as_it_is_not_on_her_card(kari: Actor, mette: Actor):
    pregnancy = at(kari, 30)
    own_bp(kari, pregnancy, 145, 92)
    wrong = own_bp(kari, pregnancy, 150, 95, hours_ago=2)
    with transaction.atomic():
        services.mark_in_error(kari, "maling", wrong.pk)
    assert list(flags(mette)) == ["Én blodtrykksmåling 140/90 eller høyere"]


# --- Proteinuria and pre-eclampsia -------------------------------------------------------------------------


@pytest.mark.parametrize(("protein", "flagged"), [("neg", False), ("trace", False), ("1", True), ("3", True)])
def test_proteinuria_of_plus_or_more_at_the_latest_consultation_is_flagged(
    kari: Actor, mette: Actor, protein: str, flagged: bool
):
    pregnancy = at(kari, 28)
    consultation(mette, pregnancy, systolic=118, diastolic=74, urine_protein=protein)
    expected = {"Protein i urinen (+ eller mer)": ("warning", link(pregnancy, "konsultasjoner"))}
    assert flags(mette) == (expected if flagged else {})


def test_a_later_negative_urine_test_clears_the_proteinuria_flag(kari: Actor, mette: Actor):
    pregnancy = at(kari, 28)
    consultation(mette, pregnancy, date=today() - datetime.timedelta(days=14), urine_protein="2")
    consultation(mette, pregnancy, urine_protein="neg")
    assert flags(mette) == {}


@pytest.mark.parametrize(("weeks", "days", "pre_eclampsia"), [(19, 6, False), (20, 0, True), (34, 2, True)])
def test_bp_140_90_with_proteinuria_after_week_20_is_the_pre_eclampsia_flag(
    kari: Actor, mette: Actor, weeks: int, days: int, pre_eclampsia: bool
):
    pregnancy = at(kari, weeks, days)
    consultation(mette, pregnancy, systolic=142, diastolic=88, urine_protein="1")
    found = flags(mette)
    pre = "Blodtrykk 140/90 eller høyere og protein i urinen etter uke 20"
    assert (pre in found) is pre_eclampsia
    assert ("Protein i urinen (+ eller mer)" in found) is not pre_eclampsia
    if pre_eclampsia:
        assert found[pre] == ("danger", link(pregnancy, "konsultasjoner"))


def test_her_own_high_readings_with_proteinuria_at_the_consultation_raise_the_pre_eclampsia_flag(
    kari: Actor, mette: Actor
):
    pregnancy = at(kari, 32)
    consultation(
        mette, pregnancy, date=today() - datetime.timedelta(days=3), systolic=126, diastolic=80, urine_protein="1"
    )
    own_bp(kari, pregnancy, 148, 94)
    found = flags(mette)
    assert "Blodtrykk 140/90 eller høyere og protein i urinen etter uke 20" in found
    assert found["Én blodtrykksmåling 140/90 eller høyere"] == ("info", link(pregnancy, "hjemmemalinger"))


def test_proteinuria_with_a_normal_blood_pressure_is_not_the_pre_eclampsia_flag(kari: Actor, mette: Actor):
    pregnancy = at(kari, 32)
    consultation(mette, pregnancy, systolic=139, diastolic=89, urine_protein="2")
    assert list(flags(mette)) == ["Protein i urinen (+ eller mer)"]


# --- Glucose tolerance test --------------------------------------------------------------------------------


def ogtt(mette: Actor, pregnancy: Pregnancy, fasting: str | None, two_hour: str | None) -> None:
    with transaction.atomic():
        for key, value in (("ogtt_fasting", fasting), ("ogtt_2h", two_hour)):
            if value is not None:
                services.add_test(mette, pregnancy, test=key, value=value, unit="mmol/L", taken_on=today())


@pytest.mark.parametrize(
    ("fasting", "two_hour", "color"),
    [
        ("5,2", "8,9", None),
        ("5,3", "8,9", "warning"),
        ("5,2", "9,0", "warning"),
        ("6,9", "11,0", "warning"),
        ("7,0", "8,0", "danger"),
        ("5,0", "11,1", "danger"),
        (None, "11,1", "danger"),
    ],
)
def test_a_pathological_glucose_tolerance_test_is_flagged_at_the_gdm_thresholds(
    kari: Actor, mette: Actor, fasting, two_hour, color
):
    pregnancy = at(kari, 26)
    ogtt(mette, pregnancy, fasting, two_hour)
    found = flags(mette)
    if color is None:
        assert found == {}
        return
    [(text, (shown, href))] = found.items()
    assert text.startswith("Glukosebelastning: fastende ")
    assert shown == color
    assert href == link(pregnancy, "prover")


def test_the_latest_glucose_tolerance_test_counts(kari: Actor, mette: Actor):
    pregnancy = at(kari, 28)
    with transaction.atomic():
        services.add_test(
            mette, pregnancy, test="ogtt_2h", value="9,4", unit="mmol/L", taken_on=today() - datetime.timedelta(days=20)
        )
    ogtt(mette, pregnancy, "4,8", "7,1")
    assert flags(mette) == {}


# --- Fetal movements and SF-mål ----------------------------------------------------------------------------


def movements(kari: Actor, pregnancy: Pregnancy) -> None:
    with transaction.atomic():
        services.add_symptom(kari, pregnancy, date=today(), kind="reduced_fetal_movements", severity="moderate")


@pytest.mark.parametrize(
    ("weeks", "days", "expected"),
    [
        (11, 0, None),  # issue 16: not felt so early, no red flag
        (15, 6, None),
        (16, 0, ("Mindre liv fra barnet, før uke 24", "warning")),
        (23, 6, ("Mindre liv fra barnet, før uke 24", "warning")),
        (24, 0, ("Mindre liv fra barnet", "danger")),
    ],
)
def test_reduced_fetal_movements_flag_red_from_week_24_only(kari: Actor, mette: Actor, weeks, days, expected):
    pregnancy = at(kari, weeks, days)
    movements(kari, pregnancy)
    found = flags(mette)
    if expected is None:
        assert found == {}
        return
    text, color = expected
    assert found == {text: (color, link(pregnancy, "symptomer"))}


@pytest.mark.parametrize(("weeks", "flagged"), [(18, False), (23, False), (24, True), (36, True)])
def test_movements_not_felt_at_the_consultation_are_flagged_from_week_24(kari: Actor, mette: Actor, weeks, flagged):
    pregnancy = at(kari, weeks, 3)
    consultation(mette, pregnancy, fetuses=[{"n": 1, "heart_rate": 140, "presentation": "", "movements": False}])
    expected = {"Liv ikke kjent ved siste kontroll": ("danger", link(pregnancy, "konsultasjoner"))}
    assert flags(mette) == (expected if flagged else {})


def test_sf_flags_link_to_the_sf_chart(kari: Actor, mette: Actor):
    pregnancy = at(kari, 24, 3)
    with transaction.atomic():
        services.add_sf(mette, pregnancy, date=today(), cm=17)  # far below −2 SD at 24+3
    assert flags(mette) == {"Første SF-mål under −2 SD": ("warning", link(pregnancy, "sf-mal"))}


def test_every_flag_links_to_a_section_of_her_card(kari: Actor, mette: Actor):
    pregnancy = at(kari, 30)
    own_bp(kari, pregnancy, 150, 95)
    own_bp(kari, pregnancy, 150, 95, hours_ago=5)
    consultation(mette, pregnancy, systolic=150, diastolic=95, urine_protein="2", weight_kg=Decimal("70.0"))
    ogtt(mette, pregnancy, "7,2", "12,0")
    movements(kari, pregnancy)
    with transaction.atomic():
        services.add_sf(mette, pregnancy, date=today(), cm=20)
    found = flags(mette)
    assert len(found) == 5  # blood pressure, pre-eclampsia, glucose, movements, SF-mål
    for color, href in found.values():
        assert color in ("danger", "warning", "info")
        path, anchor = href.split("#")
        assert path == reverse("pregnancy:practitioner_card", args=[pregnancy.pk])
        assert anchor in ANCHORS
