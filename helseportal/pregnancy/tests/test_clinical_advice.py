"""The guideline's advice on her pages, at the edges of each rule: fetal movements, danger signs, the glucose
tolerance test, and the SF-mål form (issue 16)."""

import datetime
import re

import pytest
from django.db import transaction
from django.urls import reverse

from helseportal.core.actor import Actor
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.pregnancy import services
from helseportal.pregnancy.models import Consultation, Pregnancy, SfMeasurement, Symptom
from helseportal.pregnancy.tests.test_card_views import client_for, share_with_mette, start_at

pytestmark = pytest.mark.django_db

PHONE = personas.BIRTH_UNIT.phone


def advice_html(html: str) -> str:
    """The advice boxes of a page."""
    return "".join(re.findall(r'<div class="ds-alert" data-color="\w+" role="\w+">.*?</div>', html, re.DOTALL))


def register(kari: Actor, kind: str, severity: str = "moderate", day: datetime.date | None = None):
    data = {"kind": kind, "severity": severity, "date": (day or today()).isoformat()}
    return client_for(kari).post(reverse("pregnancy:symptoms"), data, follow=True)


# --- Reduced fetal movements -------------------------------------------------------------------------------


def test_at_week_11_reduced_movements_are_refused_with_a_reason_and_no_urgent_box(kari: Actor):
    start_at(kari, weeks=11)
    response = register(kari, "reduced_fetal_movements")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Mindre liv fra barnet kan registreres fra uke 16." in html
    assert not Symptom.objects.exists()
    assert "fødeavdelingen med en gang" not in advice_html(html)


@pytest.mark.parametrize(("weeks", "days", "allowed"), [(15, 6, False), (16, 0, True)])
def test_reduced_movements_can_be_registered_from_16_0(kari: Actor, weeks: int, days: int, allowed: bool):
    start_at(kari, weeks=weeks, days=days)
    assert (register(kari, "reduced_fetal_movements").status_code == 200) is allowed
    assert Symptom.objects.exists() is allowed


def test_a_date_back_in_week_15_is_refused_also_later_in_pregnancy(kari: Actor):
    start_at(kari, weeks=16, days=2)
    response = register(kari, "reduced_fetal_movements", day=today() - datetime.timedelta(days=3))  # 15+6
    assert response.status_code == 400


@pytest.mark.parametrize(("weeks", "days"), [(16, 0), (23, 6)])
def test_in_week_16_to_23_reduced_movements_ask_for_the_midwife_not_the_birth_unit(kari: Actor, weeks, days):
    start_at(kari, weeks=weeks, days=days)
    boxes = advice_html(register(kari, "reduced_fetal_movements").content.decode())
    assert "kontakte jordmor eller fastlege så snart du kan" in boxes
    assert 'data-color="warning"' in boxes
    assert "fødeavdelingen med en gang" not in boxes


def test_from_24_0_reduced_movements_send_her_to_the_birth_unit_and_name_its_number_once(kari: Actor):
    start_at(kari, weeks=24, days=0)
    boxes = advice_html(register(kari, "reduced_fetal_movements").content.decode())
    assert "kontakte fødeavdelingen med en gang" in boxes
    assert 'data-color="danger"' in boxes
    assert boxes.count(PHONE) == 1  # issue 16: it was printed twice
    assert f'<a class="ds-link" href="tel:{PHONE.replace(" ", "")}">{PHONE}</a>.' in boxes
    assert "Lite liv" in boxes


# --- Danger signs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "named"),
    [
        ("waters_breaking", "vannavgang"),
        ("sudden_swelling", "plutselig hevelse i ansiktet eller hendene"),
        ("regular_contractions", "regelmessige rier før uke 37"),
    ],
)
def test_the_new_danger_signs_can_be_registered_and_ask_for_contact_now(kari: Actor, kind: str, named: str):
    start_at(kari, weeks=30)
    boxes = advice_html(register(kari, kind, "mild").content.decode())
    assert f"Du har meldt: {named}." in boxes
    assert "Kontakt fødeavdelingen eller legevakten nå." in boxes
    assert 'data-color="danger"' in boxes


@pytest.mark.parametrize(("weeks", "days", "urgent"), [(36, 6, True), (37, 0, False)])
def test_regular_contractions_are_a_danger_sign_before_37_0_and_labour_after(kari: Actor, weeks, days, urgent):
    start_at(kari, weeks=weeks, days=days)
    boxes = advice_html(register(kari, "regular_contractions", "mild").content.decode())
    assert ("regelmessige rier før uke 37" in boxes) is urgent
    assert ("fødselen er i gang" in boxes) is not urgent


def test_convulsions_say_call_113(kari: Actor):
    start_at(kari, weeks=30)
    boxes = advice_html(register(kari, "convulsions", "mild").content.decode())
    assert 'skal du ringe <a class="ds-link" href="tel:113">113</a> med en gang.' in boxes
    assert "Kontakt fødeavdelingen eller legevakten" not in boxes


def test_itching_asks_her_to_see_the_midwife_about_cholestasis(kari: Actor):
    start_at(kari, weeks=32)
    boxes = advice_html(register(kari, "itching", "severe").content.decode())
    assert "svangerskapskolestase" in boxes
    assert 'data-color="warning"' in boxes


# --- The glucose tolerance test ----------------------------------------------------------------------------

OFFER_NOW = "Du skal få tilbud om glukosebelastning (75 g) nå"


def overview(kari: Actor) -> str:
    return advice_html(client_for(kari).get(reverse("pregnancy:overview")).content.decode())


def earlier(kari: Actor, pregnancy: Pregnancy, **counts: int) -> None:
    with transaction.atomic():
        services.write_section(kari, pregnancy, "previous", counts)


def test_a_woman_over_25_whose_only_earlier_pregnancy_was_a_miscarriage_is_offered_the_ogtt(kari: Actor):
    pregnancy = start_at(kari, weeks=26)  # Kari is 32
    earlier(kari, pregnancy, count=1, live_births=0, miscarriages=1)
    assert OFFER_NOW in overview(kari)


def test_a_woman_over_25_who_has_given_birth_is_not_in_that_risk_group(kari: Actor):
    pregnancy = start_at(kari, weeks=26)
    earlier(kari, pregnancy, count=1, live_births=1)
    assert "glukosebelastning" not in overview(kari).lower()


def test_a_stillbirth_is_an_earlier_birth(kari: Actor):
    pregnancy = start_at(kari, weeks=26)
    earlier(kari, pregnancy, count=1, live_births=0, stillbirths=1)
    assert "glukosebelastning" not in overview(kari).lower()


def test_a_woman_with_known_diabetes_is_not_told_to_take_the_ogtt(kari: Actor):
    pregnancy = start_at(kari, weeks=26)
    earlier(kari, pregnancy, count=0)
    assert OFFER_NOW in overview(kari)
    with transaction.atomic():
        services.write_section(kari, pregnancy, "conditions", {"diabetes": True})
    assert "glukosebelastning" not in overview(kari).lower()


@pytest.mark.parametrize(
    ("fasting", "two_hour", "shown"),
    [
        ("5,0", "8,0", None),
        ("5,3", "8,0", "Resultatet av glukosebelastningen skal etter retningslinjen følges opp."),
        ("5,0", "11,1", "Svaret på glukosebelastningen skal etter retningslinjen følges opp med en gang."),
    ],
)
def test_an_ogtt_result_is_judged_and_the_test_is_not_offered_again(
    kari: Actor, mette: Actor, fasting, two_hour, shown
):
    pregnancy = start_at(kari, weeks=27)
    earlier(kari, pregnancy, count=0)
    share_with_mette(kari)
    with transaction.atomic():
        for key, value in (("ogtt_fasting", fasting), ("ogtt_2h", two_hour)):
            services.add_test(mette, pregnancy, test=key, value=value, unit="mmol/L", taken_on=today())
    boxes = overview(kari)
    assert OFFER_NOW not in boxes
    if shown is None:
        assert "glukosebelastning" not in boxes.lower()
    else:
        assert shown in boxes


# --- SF-mål before week 24 ---------------------------------------------------------------------------------


def post_sf(mette: Actor, pregnancy: Pregnancy, **extra: str):
    data = {"date": today().isoformat(), "cm": "12", **extra}
    return client_for(mette).post(reverse("pregnancy:add_sf", args=[pregnancy.pk]), data)


@pytest.mark.parametrize(("weeks", "days"), [(11, 0), (15, 6)])
def test_an_sf_mal_before_week_16_is_refused_with_the_source(kari: Actor, mette: Actor, weeks: int, days: int):
    pregnancy = start_at(kari, weeks=weeks, days=days)
    share_with_mette(kari)
    response = post_sf(mette, pregnancy)
    html = response.content.decode()
    assert response.status_code == 400
    assert f"SF-mål kan ikke registreres før uke 16 (denne datoen er uke {weeks}+{days})." in html
    assert "IS-2735" in html
    assert not SfMeasurement.objects.exists()


@pytest.mark.parametrize(("weeks", "days"), [(16, 0), (23, 6)])
def test_an_sf_mal_in_week_16_to_23_is_saved_only_when_confirmed(kari: Actor, mette: Actor, weeks: int, days: int):
    pregnancy = start_at(kari, weeks=weeks, days=days)
    share_with_mette(kari)
    first = post_sf(mette, pregnancy, cm="17")
    html = first.content.decode()
    assert first.status_code == 400
    assert "SF-mål tas fra uke 24 etter retningslinjen for svangerskapsomsorgen (IS-2735)" in html
    assert 'name="confirm_early"' in html
    assert not SfMeasurement.objects.exists()
    assert post_sf(mette, pregnancy, cm="17", confirm_early="on").status_code == 302
    assert SfMeasurement.objects.get().cm == 17


def test_an_sf_mal_from_week_24_is_saved_without_a_word(kari: Actor, mette: Actor):
    pregnancy = start_at(kari, weeks=24, days=0)
    share_with_mette(kari)
    assert (
        'name="confirm_early"'
        not in client_for(mette).get(reverse("pregnancy:add_sf", args=[pregnancy.pk])).content.decode()
    )
    assert post_sf(mette, pregnancy, cm="23").status_code == 302
    assert SfMeasurement.objects.get().cm == 23


def test_an_sf_mal_typed_in_a_consultation_before_week_16_saves_neither(kari: Actor, mette: Actor):
    pregnancy = start_at(kari, weeks=11)
    share_with_mette(kari)
    url = reverse("pregnancy:add_consultation", args=[pregnancy.pk])
    form = {"date": today().isoformat(), "systolic": "118", "diastolic": "74", "sf_cm": "12"}
    response = client_for(mette).post(url, form)
    assert response.status_code == 400
    assert "SF-mål kan ikke registreres før uke 16" in response.content.decode()
    assert not Consultation.objects.exists()
    assert not SfMeasurement.objects.exists()


def test_an_sf_mal_typed_in_a_consultation_in_week_16_to_23_is_saved_only_when_confirmed(kari: Actor, mette: Actor):
    pregnancy = start_at(kari, weeks=20)
    share_with_mette(kari)
    url = reverse("pregnancy:add_consultation", args=[pregnancy.pk])
    form = {"date": today().isoformat(), "systolic": "118", "diastolic": "74", "sf_cm": "19"}
    first = client_for(mette).post(url, form)
    html = first.content.decode()
    assert first.status_code == 400
    assert "SF-mål tas fra uke 24 etter retningslinjen for svangerskapsomsorgen (IS-2735)" in html
    assert 'name="confirm_early_sf"' in html
    assert re.search(r'<input type="checkbox" name="confirm_early_sf" class="ds-input"', html)  # drawn 24×24 px
    assert not Consultation.objects.exists()
    assert client_for(mette).post(url, {**form, "confirm_early_sf": "on"}).status_code == 302
    assert Consultation.objects.get().systolic == 118
    assert SfMeasurement.objects.get().cm == 19


def test_a_consultation_without_an_sf_mal_in_week_20_asks_nothing(kari: Actor, mette: Actor):
    pregnancy = start_at(kari, weeks=20)
    share_with_mette(kari)
    url = reverse("pregnancy:add_consultation", args=[pregnancy.pk])
    response = client_for(mette).post(url, {"date": today().isoformat(), "systolic": "118", "diastolic": "74"})
    assert response.status_code == 302
