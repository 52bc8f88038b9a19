"""The secret of a new Subscription is shown in the answer to its create only, so that answer always carries it:
with `Prefer: return=minimal` or `return=OperationOutcome`, and inside a Bundle that did not ask for the resources."""

import pytest

from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.subscriptions import fhir
from helseportal.subscriptions.models import Subscription
from helseportal.subscriptions.tests.conftest import client_of
from helseportal.subscriptions.tests.test_api import resource

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefer", ["return=minimal", "return=OperationOutcome", ""])
def test_the_secret_is_in_the_answer_to_the_create_whatever_the_client_prefers(demo: None, prefer: str) -> None:
    epj = api(client_of(personas.SHT_OSLO, "epj-sht-oslo"))
    headers = {"Prefer": prefer} if prefer else {}
    created = epj.post("/fhir/R4/Subscription", resource(), headers=headers)
    assert created.status_code == 201
    secret = Subscription.objects.get().secret
    assert created.json()["extension"] == [{"url": fhir.SECRET_EXTENSION, "valueString": secret}]

    entry = {"resource": resource(), "request": {"method": "POST", "url": "Subscription"}}
    answered = epj.post("/fhir/R4/", {"resourceType": "Bundle", "type": "batch", "entry": [entry]}, headers=headers)
    assert answered.status_code == 200
    [response] = answered.json()["entry"]
    second = Subscription.objects.order_by("-pk").first()
    assert second is not None
    assert response["resource"]["extension"] == [{"url": fhir.SECRET_EXTENSION, "valueString": second.secret}]
