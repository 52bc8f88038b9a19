"""A disabled or removed client's subscriptions deliver nothing: the delivery asks `fhir.provider.client_active`,
which this app answers. Through the real worker, to a real receiver on loopback."""

import pytest
from django.test import Client as Browser
from joserfc.jwk import RSAKey

from helseportal.demo import personas
from helseportal.smart import services
from helseportal.smart.queries import actor_for_token
from helseportal.smart.tests.conftest import assertion, client_credentials, json_body, public_set
from helseportal.subscriptions.tests.conftest import Receiver, demo_committed, receiver, run_worker, subscribe
from helseportal.subscriptions.tests.test_delivery import nora_asks_the_school_nurse

__all__ = ["demo_committed", "receiver"]  # fixtures

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_disabled_or_removed_clients_subscription_gets_no_delivery(
    client: Browser, demo_committed: None, receiver: Receiver, rsa_key: RSAKey
):
    epj = services.register_client(
        services.Registration(
            name="Skolehelsetjenestens EPJ",
            kind="system",
            scopes=("system/Appointment.rs", "system/Subscription.cruds"),
            unit_orgnr=personas.SHT_OSLO.orgnr,
            jwks=public_set(rsa_key),
        )
    )
    token = json_body(client_credentials(client, assertion(epj.client_id, rsa_key), "system/*.rs system/*.c"))
    actor = actor_for_token(token["access_token"])
    assert actor is not None
    subscribe(actor, receiver.url)

    services.set_disabled(epj.client_id, True)
    nora_asks_the_school_nurse()
    run_worker()
    assert receiver.received == []

    services.set_disabled(epj.client_id, False)
    nora_asks_the_school_nurse()
    run_worker()
    assert len(receiver.received) == 1

    services.remove_client(epj.client_id)
    nora_asks_the_school_nurse()
    run_worker()
    assert len(receiver.received) == 1
