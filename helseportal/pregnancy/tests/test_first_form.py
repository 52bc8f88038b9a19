"""Kartlegging før første svangerskapskontroll: a draft she can come back to, then sent into the card."""

import datetime

import pytest
from django.urls import reverse

from helseportal.core.actor import Actor
from helseportal.core.time import OSLO, today
from helseportal.demo import personas
from helseportal.identity.models import Person
from helseportal.pregnancy import guidance, queries
from helseportal.pregnancy.models import FirstConsultationForm, FormStatus, Pregnancy, SectionEntry
from helseportal.pregnancy.tests.test_card_views import citizen, client_for, section_text, start_at

pytestmark = pytest.mark.django_db
URL = "/gravid/kartlegging/"


@pytest.fixture
def kari() -> Actor:
    from helseportal.demo.loader import load_demo

    load_demo()
    return citizen(Person.objects.get(pid=personas.KARI.pid))


@pytest.fixture
def pregnancy(kari: Actor) -> Pregnancy:
    return start_at(kari, weeks=9, days=2)


def answers(action: str, **changes: str) -> dict[str, str]:
    form = {
        "action": action,
        "mother-language": "norsk",
        "mother-country_of_birth": "Norge",
        "mother-cohabiting_co_parent": "yes",
        "mother-occupation": "Lærer",
        "mother-employment_last_6_months": "yes",
        "mother-employment_percent": "80",
        "previous-count": "1",
        "previous-live_births": "1",
        "lifestyle-tobacco_first": "no",
        "lifestyle-snus_first": "stopped",
        "lifestyle-alcohol_first": "no",
        "medication-folic_acid_before": "on",
        "medication-frequency": "Folat 0,4 mg daglig",
        "conditions-allergy_asthma": "on",
        "genetic-none_known": "on",
        "risk-earlier_gdm": "on",
        "risk-parent_or_sibling_with_diabetes": "on",
        "other-text": "Jeg er redd for sprøyter.",
        "urine-taken": "yes",
        "urine-date": today().isoformat(),
    }
    return {**form, **changes}


def test_the_form_has_a_fieldset_for_each_part_and_both_buttons(kari: Actor, pregnancy: Pregnancy):
    html = client_for(kari).get(URL).content.decode()
    assert reverse("pregnancy:first_form") == URL
    for legend in ("Om deg", "Svangerskap", "Levevaner", "Kosttilskudd og legemidler", "Sykdommer", "Arbeid"):
        assert f'<legend class="ds-heading" data-size="sm">{legend}</legend>' in html
    assert "Spørsmål om risiko for svangerskapsdiabetes" in html
    assert "Urinprøve" in html
    assert html.count("<fieldset") == 10
    assert html.count("<legend") == 10
    assert 'value="draft"' in html
    assert "Lagre utkast" in html
    assert 'value="submit"' in html
    assert "Send til jordmor" in html
    assert f"{pregnancy.due_date:%d.%m.%Y}" in html  # the pregnancy's dates, shown read-only
    assert 'name="lifestyle-tobacco_first"' in html
    assert "week36" not in html


def test_a_draft_is_kept_for_later_and_leaves_the_card_alone(kari: Actor, pregnancy: Pregnancy):
    client = client_for(kari)
    response = client.post(URL, answers("draft"), follow=True)
    html = response.content.decode()
    assert "Utkastet er lagret." in html
    assert 'value="Lærer"' in html  # she continues where she left off
    draft = FirstConsultationForm.objects.get()
    assert draft.status == FormStatus.DRAFT
    assert draft.submitted_at is None
    assert draft.answers["mother"]["occupation"] == "Lærer"
    assert not SectionEntry.objects.exists()


def test_sending_fills_the_mother_and_lifestyle_sections_as_self_reported(kari: Actor, pregnancy: Pregnancy):
    client = client_for(kari)
    client.post(URL, answers("draft"))
    response = client.post(URL, answers("submit", **{"mother-occupation": "Sykepleier"}), follow=True)
    assert "Skjemaet er sendt til jordmor." in response.content.decode()
    form = FirstConsultationForm.objects.get()  # the draft became the sent form
    assert form.status == FormStatus.SUBMITTED
    assert form.submitted_at is not None
    mother = SectionEntry.objects.get(section="mother")
    assert mother.self_reported
    assert mother.data["occupation"] == "Sykepleier"
    assert mother.data["employment_percent"] == 80
    lifestyle = SectionEntry.objects.get(section="lifestyle")
    assert lifestyle.data == {"tobacco_first": "no", "snus_first": "stopped", "alcohol_first": "no"}
    card = client.get(reverse("pregnancy:card")).content.decode()
    for key, shown in (("mother", "Sykepleier"), ("lifestyle", "Sluttet i svangerskapet")):
        assert shown in section_text(card, key)
        assert "Egenregistrert" in section_text(card, key)
    assert "Folat 0,4 mg daglig" in section_text(card, "medication")


def test_the_risk_answers_reach_the_advice_on_gestational_diabetes(kari: Actor, pregnancy: Pregnancy):
    client_for(kari).post(URL, answers("submit"))
    card = queries.load_card(kari, Pregnancy.objects.get())
    reasons = guidance.risk_factors(card, age=32).reasons()
    assert "earlier_gdm" in reasons
    assert "parent_or_sibling_with_diabetes" in reasons
    assert "earlier_pre_eclampsia" not in reasons


def test_a_sent_form_is_shown_read_only_with_the_time_it_was_sent(kari: Actor, pregnancy: Pregnancy):
    client = client_for(kari)
    client.post(URL, answers("submit"))
    sent = FirstConsultationForm.objects.get()
    html = client.get(URL).content.decode()
    sent_at = sent.submitted_at.astimezone(OSLO)
    assert f"Sendt til jordmor {sent_at:%d.%m.%Y} kl. {sent_at:%H:%M}." in html
    assert 'name="action"' not in html
    assert 'name="mother-occupation"' not in html
    assert "Jeg er redd for sprøyter." in html
    assert "Jeg har hatt svangerskapsdiabetes før" in html


def test_a_sent_form_cannot_be_sent_again(kari: Actor, pregnancy: Pregnancy):
    client = client_for(kari)
    client.post(URL, answers("submit"))
    response = client.post(URL, answers("submit", **{"mother-occupation": "Frisør"}))
    assert response.status_code == 400
    assert "Skjemaet er allerede sendt til jordmor og kan ikke endres." in response.content.decode()
    assert FirstConsultationForm.objects.count() == 1
    assert SectionEntry.objects.filter(section="mother").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mother-employment_percent": "150"}, "Skriv et tall mellom 0 og 100."),
        ({"urine-date": ""}, "Skriv datoen du tok urinprøven."),
        ({"urine-date": (today() + datetime.timedelta(days=2)).isoformat()}, "Datoen kan ikke være fram i tid."),
        ({"previous-count": "mange"}, "Skriv et helt tall."),
    ],
)
@pytest.mark.parametrize("action", ["draft", "submit"])
def test_invalid_answers_answer_400_in_norwegian_and_save_nothing(
    kari: Actor, pregnancy: Pregnancy, changes: dict[str, str], message: str, action: str
):
    response = client_for(kari).post(URL, answers(action, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FirstConsultationForm.objects.exists()
    assert not SectionEntry.objects.exists()
