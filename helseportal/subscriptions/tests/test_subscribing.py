"""What a client may subscribe to and how: refusals in Norwegian, its own subscriptions only, switching off and on,
the secret shown once, the resource valid FHIR R4."""

from dataclasses import replace

import pytest
from django.test import override_settings
from fhir.resources.R4B.subscription import Subscription as FhirSubscription

from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, NotFound, Refused
from helseportal.demo import actors, personas
from helseportal.subscriptions import fhir, queries, services
from helseportal.subscriptions.models import Content, Status, Subscription
from helseportal.subscriptions.tests.conftest import client_of, fields

pytestmark = pytest.mark.django_db

HOOK = "https://epj.example.no/fhir-hook"


@pytest.fixture
def epj(demo: None) -> Actor:
    return client_of(personas.SHT_OSLO, "epj-sht-oslo")


def refused(epj: Actor, **changes: object) -> str:
    with pytest.raises((Invalid, Refused)) as raised:
        services.subscribe(epj, fields(str(changes.pop("endpoint", HOOK)), **changes))
    return raised.value.message


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"endpoint": "http://epj.example.no/hook"}, "må være en https://-adresse"),
        ({"endpoint": "https://user:password@epj.example.no/hook"}, "uten brukernavn eller passord"),
        ({"endpoint": "https://169.254.169.254/latest/meta-data"}, "https://-adresse"),  # no internal addresses
        ({"endpoint": "https://10.0.0.7/hook"}, "https://-adresse"),
        ({"endpoint": "ftp://epj.example.no/hook"}, "https://-adresse"),
        ({"channel_type": "email"}, "bare til channel.type rest-hook"),
        ({"payload": "application/xml"}, "channel.payload må være application/fhir+json"),
        ({"content": "everything"}, "empty, id-only eller full-resource"),
        ({"payload": "", "content": "full-resource"}, "Uten channel.payload sender vi bare referansen"),
        ({"criteria": "Patient?name=Nora"}, "Vi varsler ikke om Patient?name=Nora. Vi støtter: Appointment?status="),
        ({"criteria": "Appointment?status=booked"}, "Vi varsler ikke om Appointment?status=booked"),
        ({"criteria": "Communication?recipient=Organization/999999"}, "Vi varsler ikke om Communication?recipient"),
        ({"criteria": "https://other.example/Appointment"}, "Kriteriet må være en ressurstype"),
        ({"criteria": "Appointment?status="}, "Søkeparameteren status i kriteriet mangler verdi"),
        ({"headers": ["Content-Type: text/plain"]}, "Hodet Content-Type settes av oss"),
        ({"headers": ["X-Helseportal-Signature: sha256=forged"]}, "Hodet X-Helseportal-Signature settes av oss"),
        ({"headers": ["Authorization Bearer x"]}, "«Navn: verdi» på én linje"),
        ({"headers": ["X-Ok: a\r\nX-Injected: b"]}, "«Navn: verdi» på én linje"),
        ({"headers": [f"X-{n}: v" for n in range(11)]}, "Høyst 10 egne hoder"),
        ({"reason": "  "}, "Skriv formålet med abonnementet"),
        ({"status": "error"}, "Et nytt abonnement har status requested"),
        ({"end": "2020-01-01T00:00:00+01:00"}, "Slutten (end) må være et tidspunkt med tidssone, fram i tid"),
        ({"end": "2030-01-01T00:00:00"}, "med tidssone"),
        ({"heartbeat_period": 59}, "Hjerteslagsperioden (heartbeatPeriod) må være mellom 60 og 86400 sekunder"),
        ({"heartbeat_period": 86401}, "mellom 60 og 86400 sekunder"),
    ],
)
def test_it_refuses_what_it_cannot_do_and_says_why_in_norwegian(epj: Actor, changes: dict, said: str) -> None:
    assert said in refused(epj, **changes)
    assert not Subscription.objects.exists()


def test_http_only_to_this_machine_and_only_when_the_setting_allows_it(epj: Actor) -> None:
    services.subscribe(epj, fields("http://127.0.0.1:8765/hook"))
    services.subscribe(epj, fields("http://localhost:8765/hook"))
    with override_settings(HELSEPORTAL_SUBSCRIPTIONS_LOOPBACK_HTTP=False):
        assert "https://-adresse" in refused(epj, endpoint="http://127.0.0.1:8765/hook")
        assert "https://-adresse" in refused(epj, endpoint="https://127.0.0.1:8765/hook")


def test_only_a_system_client_with_read_access_to_the_type_subscribes(demo: None) -> None:
    kari_app = replace(actors.citizen(personas.KARI), client_id="kari-app", scopes=frozenset({"patient/*.cruds"}))
    assert "Bare systemklienter" in refused(kari_app)
    subscriptions_only = client_of(personas.SHT_OSLO, "epj", scopes=frozenset({"system/Subscription.cruds"}))
    assert "Klienten har ikke lesetilgang til Appointment" in refused(subscriptions_only)


def test_the_criteria_it_accepts(epj: Actor) -> None:
    own = epj.unit_id
    for criteria, resource_type, filters in [
        ("Appointment?status=proposed", "Appointment", {"status": ["proposed"]}),
        ("Appointment?status=proposed,booked", "Appointment", {"status": ["proposed", "booked"]}),
        ("Appointment", "Appointment", {}),
        (f"Communication?recipient={own}", "Communication", {"recipient": [f"Organization/{own}"]}),
        (f"Communication?recipient=Organization/{own}", "Communication", {"recipient": [f"Organization/{own}"]}),
    ]:
        row = services.subscribe(epj, fields(HOOK, criteria))
        assert (row.resource_type, row.filters) == (resource_type, filters), criteria


def test_the_resource_is_valid_r4_without_the_secret_and_round_trips(epj: Actor) -> None:
    created = services.subscribe(epj, fields(HOOK, content="full-resource"))
    assert len(created.secret) == 64
    read = fhir.to_fhir(Subscription.objects.get(pk=created.pk))
    assert created.secret not in str(read)
    FhirSubscription.model_validate(read)
    assert read == {
        "resourceType": "Subscription",
        "id": str(created.pk),
        "status": "requested",  # until the worker's handshake reaches the endpoint
        "reason": "Nye timeønsker til journalsystemet",
        "criteria": "Appointment?status=proposed",
        "channel": {
            "type": "rest-hook",
            "endpoint": HOOK,
            "payload": "application/fhir+json",
            "_payload": {"extension": [{"url": fhir.PAYLOAD_CONTENT, "valueCode": "full-resource"}]},
            "header": ["Authorization: Bearer receivers-own-token"],
        },
    }
    # What it reads back is what it may send again: the fields round-trip.
    assert fhir.fields_of(read) == fields(HOOK, content="full-resource", status="requested")


def test_without_a_payload_a_notification_is_id_only(epj: Actor) -> None:
    row = services.subscribe(epj, fields(HOOK, payload="", content=""))
    assert (row.payload, row.content) == ("", Content.ID_ONLY)
    assert "payload" not in fhir.to_fhir(row)["channel"]


def test_a_resource_fhir_refuses_is_refused_before_anything_else(epj: Actor) -> None:
    with pytest.raises(Invalid, match="ikke en gyldig FHIR R4 Subscription \\(channel"):
        fhir.fields_of({"resourceType": "Subscription", "status": "requested", "reason": "x", "criteria": "x"})


def test_a_client_sees_and_changes_only_its_own(epj: Actor) -> None:
    mine = services.subscribe(epj, fields(HOOK))
    same_unit_other_system = client_of(personas.SHT_OSLO, "another-epj")
    other_unit_same_name = client_of(personas.MAJORSTUEN_GP, "epj-sht-oslo")
    assert list(queries.visible(epj)) == [mine]
    for stranger in (same_unit_other_system, other_unit_same_name, actors.citizen(personas.KARI)):
        assert not queries.visible(stranger).exists()
        with pytest.raises((NotFound, Refused)):
            services.change(stranger, mine.pk, fields(HOOK, status="off"))
    assert Subscription.objects.get().status == Status.REQUESTED


def test_a_client_switches_it_off_and_on_again_and_a_resend_changes_nothing(epj: Actor) -> None:
    row = services.subscribe(epj, fields(HOOK))
    off, changed = services.change(epj, row.pk, fields(HOOK, status="off"))
    assert (off.status, changed) == (Status.OFF, True)
    assert services.change(epj, row.pk, fields(HOOK, status="off"))[1] is False

    Subscription.objects.filter(pk=row.pk).update(status=Status.ERROR, error="x", consecutive_failures=10)
    assert services.change(epj, row.pk, fields(HOOK, status="error"))[1] is False
    on, _ = services.change(epj, row.pk, fields(HOOK + "/v2", status="requested"))
    assert (on.status, on.error, on.consecutive_failures, on.endpoint) == (Status.REQUESTED, "", 0, HOOK + "/v2")
    with pytest.raises(Invalid, match="Status kan settes til off"):
        services.change(epj, row.pk, fields(HOOK, status="error"))
