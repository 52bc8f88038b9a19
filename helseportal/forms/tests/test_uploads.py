"""Uploads a unit editor might make by mistake (or on purpose) get a clear refusal, never a 500: JSON nested past
Python's stack, groups nested hundreds deep, a url or version longer than the database columns (on PostgreSQL a 500
before). The review of session 21, finding 10."""

import copy
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.forms import definition
from helseportal.forms.models import URL_MAX_LENGTH, Form
from helseportal.forms.tests.conftest import NURSE_FORM

pytestmark = pytest.mark.django_db
PUBLISHING = "/helsepersonell/skjemaer/publisering/"


@pytest.fixture
def editor(demo: None) -> Client:
    client = Client(raise_request_exception=False)
    log_in(client, actors.clinician(personas.INGRID, personas.SHT_OSLO))
    return client


def upload(client: Client, resource: Any) -> Any:
    data = resource if isinstance(resource, bytes) else json.dumps(resource).encode()
    return client.post(PUBLISHING, {"questionnaire": SimpleUploadedFile("skjema.json", data, "application/json")})


def nested_groups(depth: int) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": "svar", "type": "string", "text": "Svar"}
    for level in range(depth, 0, -1):
        item = {"linkId": f"g{level}", "type": "group", "text": "Gruppe", "item": [item]}
    return copy.deepcopy(NURSE_FORM) | {"item": [item]}


def test_json_nested_past_the_stack_is_refused(editor: Client) -> None:
    page = upload(editor, b"[" * 100_000)
    assert page.status_code == 400
    assert "Filen er nøstet for dypt til å være et skjema." in page.content.decode()


@pytest.mark.parametrize("depth", [definition.MAX_ITEM_DEPTH + 1, 300, 450])
def test_groups_nested_too_deep_are_refused_with_the_limit(editor: Client, depth: int) -> None:
    page = upload(editor, nested_groups(depth))
    assert page.status_code == 400
    assert "Skjemaet har grupper i flere enn 10 nivåer." in page.content.decode()
    assert not Form.objects.filter(url=NURSE_FORM["url"]).exists()


def test_groups_nested_as_deep_as_allowed_are_taken(editor: Client) -> None:
    assert upload(editor, nested_groups(definition.MAX_ITEM_DEPTH - 1)).status_code == 302


def test_json_nested_deep_outside_the_items_is_refused(editor: Client) -> None:
    deep: Any = "x"
    for _level in range(200):
        deep = {"extension": [{"url": "urn:x", "valueString": "x"}], "_x": deep}
    page = upload(editor, copy.deepcopy(NURSE_FORM) | {"_title": deep})
    assert page.status_code == 400
    assert "Skjemaet er nøstet dypere enn 60 nivåer." in page.content.decode()


@pytest.mark.parametrize(("field", "value"), [("url", "urn:x:" + "a" * URL_MAX_LENGTH), ("version", "1" * 65)])
def test_a_url_or_version_longer_than_its_column_is_refused(editor: Client, field: str, value: str) -> None:
    page = upload(editor, copy.deepcopy(NURSE_FORM) | {field: value})
    assert page.status_code == 400
    assert "Skjemaets url kan ha høyst 255 tegn og version høyst 64." in page.content.decode()


def test_the_limits_are_the_columns() -> None:
    assert Form._meta.get_field("url").max_length == definition.URL_MAX_LENGTH
    assert Form._meta.get_field("version").max_length == definition.VERSION_MAX_LENGTH
