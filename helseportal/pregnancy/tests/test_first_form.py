"""Kartlegging før første svangerskapskontroll on the forms engine: the old address leads there, a draft she can come
back to, then sent into the card (the sections as self-reported, the risk answers to the advice), shown read-only
afterwards, never sent twice; the card's age rules; and the Questionnaire carries the card's fields and codes."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from helseportal.core.actor import Actor, Role
from helseportal.core.time import OSLO
from helseportal.demo import personas
from helseportal.forms.definition import Definition, load
from helseportal.forms.models import Form, FormResponse, ResponseStatus
from helseportal.identity.models import Person
from helseportal.pregnancy import guidance, queries, services, survey
from helseportal.pregnancy.forms.first_form import GROUPS, FirstForm
from helseportal.pregnancy.models import FirstConsultationForm, FormStatus, Pregnancy, SectionEntry
from helseportal.pregnancy.sections import FORM_SECTIONS, SECTIONS
from helseportal.pregnancy.tests.test_card_views import citizen, client_for, section_text, start_at

pytestmark = pytest.mark.django_db
URL = "/gravid/kartlegging/"
SHIPPED = Path(survey.__file__).parents[1] / "forms" / "data" / f"{survey.SHIPPED_NAME}.json"


@pytest.fixture
def kari() -> Actor:
    from helseportal.demo.loader import load_demo

    load_demo()
    return citizen(Person.objects.get(pid=personas.KARI.pid))


@pytest.fixture
def pregnancy(kari: Actor) -> Pregnancy:
    return start_at(kari, weeks=9, days=2)


@pytest.fixture
def form(kari: Actor) -> Form:
    from helseportal.demo.forms import load_forms

    load_forms()  # the survey, for the demo's health station, as `make run` has it
    return Form.objects.get(url=survey.SURVEY_URL)


def definition_of(form: Form) -> Definition:
    return load(form.resource)


# Her answers by linkId (the card's keys): a choice by its code, a boolean as the page sends it.
ANSWERS: dict[str, Any] = {
    "mother.language": "norsk",
    "mother.country_of_birth": "Norge",
    "mother.cohabiting_co_parent": "yes",
    "mother.occupation": "Lærer",
    "mother.employment_last_6_months": "yes",
    "mother.employment_percent": "80",
    "previous.count": "1",
    "previous.live_births": "1",
    "lifestyle.tobacco_first": "no",
    "lifestyle.snus_first": "stopped",
    "lifestyle.alcohol_first": "no",
    "medication.folic_acid_before": "true",
    "medication.frequency": "Folat 0,4 mg daglig",
    "conditions.allergy_asthma": "true",
    "genetic.none_known": "true",
    "risk.earlier_gdm": "true",
    "risk.parent_or_sibling_with_diabetes": "true",
    "other.text": "Jeg er redd for sprøyter.",
    "urine.taken": "yes",
    "urine.date": "2026-06-08",
}


def post_data(definition: Definition, step: int, answers: dict[str, Any], action: str = "next") -> dict[str, Any]:
    """One step's POST as the page sends it: fields named by the item's place, a choice by its option's number."""
    data: dict[str, Any] = {"action": action}
    for top in definition.steps[step].items:
        for item in top.walk():
            if item.link_id not in answers:
                continue
            value = answers[item.link_id]
            if item.type == "choice":
                codes = [option.answer["valueCoding"]["code"] for option in item.options]
                value = str(codes.index(value))
            data[f"i{item.index}"] = value
    return data


def fill(client: Client, form: Form, answers: dict[str, Any]) -> None:
    """Every step, start to summary, each answered with `answers`."""
    definition = definition_of(form)
    start = f"/skjemaer/{form.pk}/"
    client.post(start)
    for step in range(len(definition.steps)):
        page = client.post(f"{start}steg/{step}/", post_data(definition, step, answers))
        if page.status_code == 302 and page.url == f"{start}steg/{step}/":  # the answer opened a question here
            page = client.post(f"{start}steg/{step}/", post_data(definition, step, answers))
        assert page.status_code == 302, page.content.decode()


def send(client: Client, form: Form, answers: dict[str, Any] = ANSWERS) -> Any:
    fill(client, form, answers)
    return client.post(f"/skjemaer/{form.pk}/oppsummering/", follow=True)


def test_the_old_address_leads_to_the_survey_with_a_step_for_each_part(kari: Actor, pregnancy: Pregnancy, form: Form):
    client = client_for(kari)
    assert client.get(URL).url == f"/skjemaer/{form.pk}/"
    start = client.get(f"/skjemaer/{form.pk}/").content.decode()
    assert "Kartlegging før første svangerskapskontroll" in start
    assert "Svarene kommer inn i helsekortet ditt" in start
    assert client.post(URL).status_code == 405  # the old page's form is gone: nothing posts here any more
    client.post(f"/skjemaer/{form.pk}/")
    titles = [str(step.title) for step in definition_of(form).steps]
    assert titles == [
        "Om deg", "Svangerskap", "Levevaner", "Kosttilskudd og legemidler", "Sykdommer",
        "Arvelige sykdommer i familien", "Spørsmål om risiko for svangerskapsdiabetes", "Annet", "Urinprøve",
    ]  # fmt: skip
    first = client.get(f"/skjemaer/{form.pk}/steg/0/").content.decode()
    assert "Arbeid" in first
    assert "Stillingsprosent (%)" in first
    lifestyle = client.get(f"/skjemaer/{form.pk}/steg/2/").content.decode()
    assert "Tobakk" in lifestyle
    assert "Sluttet i svangerskapet" in lifestyle
    assert "week36" not in json.dumps(form.resource)


def test_a_draft_is_kept_for_later_and_leaves_the_card_alone(kari: Actor, pregnancy: Pregnancy, form: Form):
    client = client_for(kari)
    definition = definition_of(form)
    client.post(f"/skjemaer/{form.pk}/")
    client.post(f"/skjemaer/{form.pk}/steg/0/", post_data(definition, 0, ANSWERS))
    later = client_for(kari)  # another session: she continues where she left off
    assert "Fortsett utfyllingen" in later.get(URL, follow=True).content.decode()
    assert later.post(f"/skjemaer/{form.pk}/").url == f"/skjemaer/{form.pk}/steg/1/"
    assert 'value="Lærer"' in later.get(f"/skjemaer/{form.pk}/steg/0/").content.decode()
    draft = FormResponse.objects.get(form=form)
    assert draft.status == ResponseStatus.IN_PROGRESS
    assert draft.answers["mother.occupation"] == [{"valueString": "Lærer"}]
    assert not FirstConsultationForm.objects.exists()
    assert not SectionEntry.objects.exists()


def test_a_draft_from_the_hand_coded_form_starts_her_draft_on_the_engine(kari: Actor, pregnancy: Pregnancy, form: Form):
    old = {"mother": {"occupation": "Lærer", "employment_percent": 80, "cohabiting_co_parent": "yes"}}
    old |= {"conditions": {"heart": False, "allergy_asthma": True}, "urine": {"taken": "no"}, "x": {"y": 1}}
    services.save_first_form(kari, pregnancy, old, submit=False)
    client = client_for(kari)
    client.post(f"/skjemaer/{form.pk}/")
    draft = FormResponse.objects.get(form=form)
    assert draft.answers["mother.occupation"] == [{"valueString": "Lærer"}]
    assert draft.answers["mother.employment_percent"] == [{"valueInteger": 80}]
    assert draft.answers["mother.cohabiting_co_parent"][0]["valueCoding"]["code"] == "yes"
    assert draft.answers["conditions.heart"] == [{"valueBoolean": False}]
    assert draft.answers["conditions.allergy_asthma"] == [{"valueBoolean": True}]
    assert "x.y" not in draft.answers
    assert 'value="Lærer"' in client.get(f"/skjemaer/{form.pk}/steg/0/").content.decode()


def test_sending_fills_the_mother_and_lifestyle_sections_as_self_reported(
    kari: Actor, pregnancy: Pregnancy, form: Form
):
    client = client_for(kari)
    response = send(client, form, ANSWERS | {"mother.occupation": "Sykepleier"})
    assert "Skjemaet er sendt til" in response.content.decode()
    assert "Kvittering" in response.content.decode()
    sent = FirstConsultationForm.objects.get()
    assert sent.status == FormStatus.SUBMITTED
    assert sent.submitted_at is not None
    mother = SectionEntry.objects.get(section="mother")
    assert mother.self_reported
    assert mother.data["occupation"] == "Sykepleier"
    assert mother.data["employment_percent"] == 80
    lifestyle = SectionEntry.objects.get(section="lifestyle")
    assert lifestyle.data == {"tobacco_first": "no", "snus_first": "stopped", "alcohol_first": "no"}
    card = client.get("/gravid/helsekort/").content.decode()
    for key, shown in (("mother", "Sykepleier"), ("lifestyle", "Sluttet i svangerskapet")):
        assert shown in section_text(card, key)
        assert "Egenregistrert" in section_text(card, key)
    assert "Folat 0,4 mg daglig" in section_text(card, "medication")
    engine = FormResponse.objects.get(form=form, status=ResponseStatus.COMPLETED)
    assert engine.resource["questionnaire"] == f"{survey.SURVEY_URL}|1.1.0"


def test_the_risk_answers_reach_the_advice_on_gestational_diabetes(kari: Actor, pregnancy: Pregnancy, form: Form):
    send(client_for(kari), form)
    card = queries.load_card(kari, Pregnancy.objects.get())
    reasons = guidance.risk_factors(card, age=32).reasons()
    assert "earlier_gdm" in reasons
    assert "parent_or_sibling_with_diabetes" in reasons
    assert "earlier_pre_eclampsia" not in reasons


def test_a_sent_form_is_shown_read_only_with_the_time_it_was_sent(kari: Actor, pregnancy: Pregnancy, form: Form):
    client = client_for(kari)
    send(client, form)
    sent = FirstConsultationForm.objects.get()
    html = client.get(URL).content.decode()
    assert sent.submitted_at is not None
    sent_at = sent.submitted_at.astimezone(OSLO)
    assert f"Sendt til jordmor {sent_at:%d.%m.%Y} kl. {sent_at:%H:%M}." in html
    assert 'name="action"' not in html
    assert "Jeg er redd for sprøyter." in html
    assert "Jeg har hatt svangerskapsdiabetes før" in html


def test_a_sent_form_cannot_be_sent_again(kari: Actor, pregnancy: Pregnancy, form: Form):
    client = client_for(kari)
    send(client, form)
    assert client.get(f"/skjemaer/{form.pk}/").status_code == 404  # the survey is closed once sent
    assert client.post(f"/skjemaer/{form.pk}/").status_code == 404
    assert client.post(f"/skjemaer/{form.pk}/oppsummering/").status_code == 404
    assert "Sendt til jordmor" in client.get(URL).content.decode()
    assert FirstConsultationForm.objects.count() == 1
    assert SectionEntry.objects.filter(section="mother").count() == 1


def test_a_first_form_sent_in_between_stops_the_engine_sending_a_second(kari: Actor, pregnancy: Pregnancy, form: Form):
    client = client_for(kari)
    fill(client, form, ANSWERS)
    FirstConsultationForm.objects.create(
        pregnancy=pregnancy, person=pregnancy.person, author_kind="woman", author_name="Kari", status="submitted"
    )
    page = client.post(f"/skjemaer/{form.pk}/oppsummering/")
    assert page.status_code == 404  # closed: she has sent one
    assert not FormResponse.objects.filter(status=ResponseStatus.COMPLETED).exists()
    assert not SectionEntry.objects.exists()


@pytest.mark.parametrize(
    ("step", "changes", "message"),
    [
        (0, {"mother.employment_percent": "150"}, "100"),
        (8, {"urine.date": ""}, "Svar på dette spørsmålet."),
        (1, {"previous.count": "mange"}, "Skriv et helt tall."),
    ],
)
def test_invalid_answers_answer_400_in_norwegian_and_save_nothing(
    kari: Actor, pregnancy: Pregnancy, form: Form, step: int, changes: dict[str, str], message: str
):
    client = client_for(kari)
    definition = definition_of(form)
    client.post(f"/skjemaer/{form.pk}/")
    if step == 8:  # "Ja" opens the date on the same page
        client.post(f"/skjemaer/{form.pk}/steg/8/", post_data(definition, 8, {"urine.taken": "yes"}))
    response = client.post(f"/skjemaer/{form.pk}/steg/{step}/", post_data(definition, step, ANSWERS | changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FirstConsultationForm.objects.exists()
    assert not SectionEntry.objects.exists()


def test_a_girl_of_15_fills_in_her_own_and_her_parent_cannot(kari: Actor, form: Form):
    nora = citizen(Person.objects.get(pid=personas.NORA.pid))
    start_at(nora, weeks=10)
    assert client_for(nora).get(URL).url == f"/skjemaer/{form.pk}/"
    for_nora = kari.acting_for(nora.own_person_id or 0, Role.PARENT)
    parent = client_for(for_nora)
    assert parent.get(URL).status_code == 404
    assert parent.get(f"/skjemaer/{form.pk}/").status_code == 404
    assert parent.post(f"/skjemaer/{form.pk}/").status_code == 404


def test_without_a_pregnancy_the_survey_is_not_open(kari: Actor, form: Form):
    client = client_for(kari)
    assert client.get(f"/skjemaer/{form.pk}/").status_code == 404
    assert form.title not in client.get("/skjemaer/").content.decode()  # never listed: the card links to it


def test_the_questionnaire_carries_the_cards_fields_codes_and_labels():
    definition = load(json.loads(SHIPPED.read_text(encoding="utf-8")))
    questions = {item.link_id: item for item in definition.questions}
    old = FirstForm()
    expected = {f"{group.answers_key}.{name}" for group in GROUPS for name in old.forms[group.answers_key].fields}
    assert set(questions) == expected
    for link, item in questions.items():
        section, _dot, key = link.partition(".")
        spec = SECTIONS.get(section) or FORM_SECTIONS.get(section)
        field = {f.key: f for f in spec.fields}.get(key) if spec else None
        if field is None:  # the form's own "other" and "urine": labels as the hand-coded form had them
            assert str(item.text) == str(old.forms[section].fields[key].label)
            continue
        assert str(item.text) == (f"{field.label} ({field.unit})" if field.unit else str(field.label))
        if field.choices:
            assert [(o.answer["valueCoding"]["code"], str(o.label)) for o in item.options] == [
                (code, str(label)) for code, label in field.choices
            ]
            assert {o.answer["valueCoding"]["system"] for o in item.options} == {"urn:helseportal:pregnancy-answer"}
    assert definition.url == survey.SURVEY_URL
