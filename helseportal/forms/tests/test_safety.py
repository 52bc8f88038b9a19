"""The engine's safety (the review of session 21): what a citizen uploads is kept whole, numbers and expressions
cannot make a page slow or fail, and a form that would fail later is refused at import."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.forms.models import Form, FormResponse, ResponseStatus

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
