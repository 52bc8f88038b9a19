"""The engine's safety (the review of session 21): what a citizen uploads is kept whole, numbers and expressions
cannot make a page slow or fail, and a form that would fail later is refused at import."""

import base64
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helseportal.access.models import AuditEvent, Outcome
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.forms import logic
from helseportal.forms.definition import load
from helseportal.forms.forms import StepForm
from helseportal.forms.models import Form, FormResponse, ResponseStatus
from helseportal.forms.tests.test_pdf import pdf_text

pytestmark = pytest.mark.django_db

# A 1×1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082"
)


def client_for(actor: Actor) -> Client:
    client = Client(raise_request_exception=False)
    log_in(client, actor)
    return client


def send_econsultation(client: Client, form: Form, first_step: dict[str, object]) -> str:
    """Fill in the e-consultation with this first step, the rest as briefly as it allows; the summary page."""
    start = f"/skjemaer/{form.pk}/"
    client.post(start)
    assert client.post(f"{start}steg/0/", {"action": "next"} | first_step).url == f"{start}steg/1/"
    assert client.post(f"{start}steg/1/", {"action": "next", "i8": "0", "i10": "true"}).url.endswith("steg/2/")
    assert client.post(f"{start}steg/2/", {"action": "next"}).url.endswith("oppsummering/")
    summary = client.get(f"{start}oppsummering/").content.decode()
    assert client.post(f"{start}oppsummering/").status_code == 302
    return summary


def test_an_uploaded_picture_is_stored_whole_and_sent(kari: Actor, econsultation: Form) -> None:
    client = client_for(kari)
    picture = SimpleUploadedFile("arm.png", PNG, content_type="image/png")
    first = {"i1": "1", "i2": "Utslett", "i3": "Rødt utslett på armen", "i6": picture}
    summary = send_econsultation(client, econsultation, first)
    assert "arm.png" in summary
    sent = FormResponse.objects.get(form=econsultation, status=ResponseStatus.COMPLETED).resource
    answers = [item for group in sent["item"] for item in group.get("item", []) if item["linkId"] == "vedlegg"]
    attachment = answers[0]["answer"][0]["valueAttachment"]
    assert base64.b64decode(attachment["data"]) == PNG
    assert attachment["size"] == len(PNG)
    assert attachment["contentType"] == "image/png"


NUMBERS: dict[str, object] = {
    "resourceType": "Questionnaire",
    "url": "urn:helseportal:forms:test:numbers",
    "version": "1",
    "status": "active",
    "title": "Tall",
    "item": [
        {
            "linkId": "g",
            "type": "group",
            "text": "Tall",
            "item": [
                {"linkId": "desimal", "type": "decimal", "text": "Desimal"},
                {"linkId": "mengde", "type": "quantity", "text": "Mengde"},
            ],
        }
    ],
}
NUMBER_ERRORS = {"Tallet er for stort.", "Tallet har for mange sifre.", "Skriv et tall, for eksempel 72,5."}


def step_of(resource: dict[str, object], data: dict[str, object]) -> StepForm:
    definition = load(resource)
    return StepForm(data, {}, step=definition.steps[0], answers={}, enabled=logic.enabled_links(definition, {}))


@pytest.mark.parametrize("value", ["1e5000", "1E+5000", "1e300000", "-1e-999999", "NaN", "Infinity", "-inf", "9" * 21])
@pytest.mark.parametrize("field", ["i1", "i2"])
def test_a_huge_or_endless_number_is_a_field_error_at_once(field: str, value: str) -> None:
    began = time.monotonic()
    form = step_of(NUMBERS, {field: value})
    assert not form.is_valid()
    assert set(form.errors[field]) <= NUMBER_ERRORS
    assert time.monotonic() - began < 1


MANTISSAS = st.decimals(allow_nan=False, allow_infinity=False).map(str) | st.from_regex(
    r"-?[0-9]{1,30}([.,][0-9]{0,30})?", fullmatch=True
)


@settings(max_examples=200, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(
    mantissa=MANTISSAS,
    exponent=st.one_of(st.just(""), st.integers(-(10**7), 10**7).map(lambda n: f"e{n}")),
    special=st.sampled_from(["", "NaN", "sNaN", "Infinity", "-Infinity", "1e3000"]),
    field=st.sampled_from(["i1", "i2"]),
)
def test_any_number_is_kept_bounded_or_refused_in_norwegian(
    mantissa: str, exponent: str, special: str, field: str
) -> None:
    written = special or f"{mantissa}{exponent}"
    form = step_of(NUMBERS, {field: written})
    if form.is_valid():
        answers = form.answers()
        json.dumps(answers, allow_nan=False)  # a number JSON (and the database) can hold
        (answer,) = answers[{"i1": "desimal", "i2": "mengde"}[field]]
        number = answer.get("valueDecimal", answer.get("valueQuantity", {}).get("value"))
        assert abs(number) < 10**20
    else:
        assert set(form.errors[field]) <= NUMBER_ERRORS, form.errors


def question(**item: object) -> dict[str, object]:
    """A form of one group holding this item."""
    return {
        "resourceType": "Questionnaire",
        "url": "urn:helseportal:forms:test:one",
        "version": "1",
        "status": "active",
        "title": "Test",
        "item": [{"linkId": "g", "type": "group", "text": "G", "item": [{"linkId": "a", "text": "A"} | item]}],
    }


def bound(kind: str, **value: object) -> dict[str, object]:
    return {"url": f"http://hl7.org/fhir/StructureDefinition/{kind}Value"} | value


@pytest.mark.parametrize(
    ("kind", "extension"),
    [
        ("integer", bound("min", valueDate="2026-01-01")),
        ("integer", bound("max", valueDecimal=2.5)),
        ("decimal", bound("min", valueDate="2026-01-01")),
        ("date", bound("max", valueInteger=3)),
        ("date", bound("max", valueDateTime="2026-01-01T10:00:00+01:00")),
        ("dateTime", bound("min", valueDateTime="2026")),
        ("time", bound("min", valueDate="2026-01-01")),
        ("string", bound("min", valueInteger=3)),
        ("decimal", bound("max", valueDecimal=1e300)),
    ],
)
def test_a_bound_that_does_not_fit_its_question_is_refused_at_import(kind: str, extension: object) -> None:
    with pytest.raises(Invalid, match="Grenseverdien til a har en type vi ikke kan bruke"):
        load(question(type=kind, extension=[extension]))


def test_bounds_that_fit_are_taken() -> None:
    assert load(question(type="decimal", extension=[bound("min", valueInteger=0)])).questions[0].minimum == 0
    assert load(question(type="dateTime", extension=[bound("max", valueDate="2030-01-01")])).questions[0].maximum


def test_a_choice_whose_initial_is_not_an_option_is_refused_at_import() -> None:
    options = [{"valueCoding": {"system": "urn:s", "code": "a", "display": "A"}}]
    wrong = question(type="choice", readOnly=True, answerOption=options, initial=[{"valueCoding": {"code": "zzz"}}])
    with pytest.raises(Invalid, match="Startverdien til a er ikke et av svaralternativene"):
        load(wrong)
    right = question(type="choice", answerOption=options, initial=[{"valueCoding": {"code": "a"}}])
    assert load(right).questions[0].initial == ({"valueCoding": {"code": "a"}},)
    free = question(type="open-choice", answerOption=options, initial=[{"valueString": "Noe annet"}])
    assert load(free).questions[0].initial == ({"valueString": "Noe annet"},)


def test_a_response_that_does_not_fit_is_refused_in_norwegian_not_a_500(
    kari: Actor, econsultation: Form, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for(kari)
    start = f"/skjemaer/{econsultation.pk}/"
    client.post(start)
    client.post(f"{start}steg/0/", {"action": "next", "i1": "1", "i2": "Hemmelig overskrift", "i3": "Hemmelig tekst"})
    client.post(f"{start}steg/1/", {"action": "next", "i8": "0", "i10": "true"})
    client.post(f"{start}steg/2/", {"action": "next"})
    monkeypatch.setattr(logic, "mismatches", lambda definition, response: ["overskrift: Hemmelig overskrift"])
    page = client.post(f"{start}oppsummering/")
    assert page.status_code == 400  # the summary again, with the refusal
    assert "Skjemaet kan ikke sendes nå fordi det har en feil." in page.content.decode()
    assert FormResponse.objects.get(form=econsultation).status == ResponseStatus.IN_PROGRESS
    assert econsultation.url in caplog.text
    assert "Hemmelig" not in caplog.text


def test_a_file_that_is_not_what_the_browser_says_is_refused(kari: Actor, econsultation: Form) -> None:
    client = client_for(kari)
    start = f"/skjemaer/{econsultation.pk}/"
    client.post(start)
    page_as_png = SimpleUploadedFile("arm.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    first = {"action": "next", "i1": "1", "i2": "Utslett", "i3": "Rødt utslett", "i6": page_as_png}
    page = client.post(f"{start}steg/0/", first)
    assert page.status_code == 400
    assert "Vi tar bare imot PDF, JPEG og PNG." in page.content.decode()
    named_wrong = SimpleUploadedFile("arm.pdf", PNG, content_type="application/pdf")  # a PNG is a PNG
    assert client.post(f"{start}steg/0/", first | {"i6": named_wrong}).status_code == 302
    stored = FormResponse.objects.get(form=econsultation).answers["vedlegg"][0]["valueAttachment"]
    assert stored["contentType"] == "image/png"


def test_staff_download_an_attachment_of_a_sent_response_audited_and_only_their_units(
    kari: Actor, econsultation: Form
) -> None:
    picture = SimpleUploadedFile("arm.png", PNG, content_type="image/png")
    send_econsultation(client_for(kari), econsultation, {"i1": "1", "i2": "Utslett", "i3": "Rødt", "i6": picture})
    sent = FormResponse.objects.get(form=econsultation, status=ResponseStatus.COMPLETED)
    lars = client_for(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    page = lars.get(f"/helsepersonell/skjemaer/svar/{sent.pk}/").content.decode()
    address = f"/helsepersonell/skjemaer/svar/{sent.pk}/vedlegg/1/"
    assert f'href="{address}"' in page
    assert "Vedlegg 1: arm.png (PNG, 1 kB)" in page
    before = AuditEvent.objects.filter(subject_id=sent.person_id).count()
    download = lars.get(address)
    assert download.status_code == 200
    assert download.content == PNG
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == 'attachment; filename="vedlegg-1.png"'
    assert download["X-Content-Type-Options"] == "nosniff"
    opened = AuditEvent.objects.filter(subject_id=sent.person_id).order_by("pk").last()
    assert AuditEvent.objects.filter(subject_id=sent.person_id).count() == before + 1
    assert opened is not None
    assert opened.resources == [f"QuestionnaireResponse/form-{sent.pk}"]
    assert lars.get(f"/helsepersonell/skjemaer/svar/{sent.pk}/vedlegg/2/").status_code == 404
    ingrid = client_for(actors.clinician(personas.INGRID, personas.SHT_OSLO))  # another unit
    assert ingrid.get(address).status_code == 404
    assert AuditEvent.objects.filter(subject_id=sent.person_id, outcome=Outcome.DENIED).exists()
    assert client_for(kari).get(address).status_code in (302, 403, 404)  # not a citizen's route


def test_the_staff_pdf_names_the_attachments(kari: Actor, econsultation: Form) -> None:
    picture = SimpleUploadedFile("arm.png", PNG, content_type="image/png")
    send_econsultation(client_for(kari), econsultation, {"i1": "1", "i2": "Utslett", "i3": "Rødt", "i6": picture})
    sent = FormResponse.objects.get(form=econsultation, status=ResponseStatus.COMPLETED)
    lars = client_for(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    pdf = lars.get(f"/helsepersonell/skjemaer/svar/{sent.pk}/skjema.pdf").content
    assert "Vedlegg 1: arm.png (PNG, 1 kB)" in pdf_text(pdf)
