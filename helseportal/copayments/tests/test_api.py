"""ChargeItem on the FHIR API: a provider's system registers a co-payment once (a re-send or a re-key changes
nothing), corrects it (the amount replaced, never added), withdraws it (kept, out of the sum); the card follows the
sum; bad input is an OperationOutcome; nobody reads or writes beyond their unit or their person."""

from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helseportal.access.models import AuditEvent
from helseportal.copayments import queries
from helseportal.copayments.models import CoPayment, ExemptionCard
from helseportal.copayments.tests.conftest import World, system
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import FNR_SYSTEM
from helseportal.demo import personas
from helseportal.fhir.testing import api
from helseportal.identity.models import Person
from helseportal.notify.events import Event
from helseportal.notify.models import Delivery
from helseportal.notify.texts import text_for

BASE = "/fhir/R4"
EPJ = "urn:oid:2.16.578.1.12.4.1.1.9999"


def charge(key: str, kroner: Any, on: str = "2026-03-02", pid: str = personas.KARI.pid, **changes: Any) -> dict:
    resource = {
        "resourceType": "ChargeItem",
        "id": f"epj-{key}",
        "identifier": [{"system": EPJ, "value": key}],
        "status": "billed",
        "code": {"text": "Konsultasjon hos fastlege"},
        "subject": {"identifier": {"system": FNR_SYSTEM, "value": pid}},
        "occurrenceDateTime": on,
        "priceOverride": {"value": kroner, "currency": "NOK"},
    }
    return resource | changes


def year_total(person: Person, year: int = 2026) -> int:
    return queries.year_view(person, year).summary.total_ore


def test_a_co_payment_is_stored_once_by_its_identifier_and_a_re_key_finds_it(world: World):
    client = api(system(world.gp))
    created = client.post(f"{BASE}/ChargeItem", charge("a", 175))
    assert created.status_code == 201, created.content
    again = client.post(f"{BASE}/ChargeItem", charge("a", 175) | {"id": "migrated-7"})
    assert again.status_code == 200
    assert again.json()["id"] == created.json()["id"]
    assert again.json()["meta"]["versionId"] == "1"
    assert CoPayment.objects.count() == 1
    assert year_total(world.family.kari) == 17_500
    served = client.get(f"{BASE}/ChargeItem/{created.json()['id']}").json()
    assert served["priceOverride"] == {"value": 175, "currency": "NOK"}
    assert served["subject"]["identifier"]["value"] == personas.KARI.pid
    event = AuditEvent.objects.get(action="api:copayments:create")
    assert event.subject_id == world.family.kari.pk


def test_a_correction_replaces_the_amount_and_entered_in_error_keeps_the_row_out_of_the_sum(world: World):
    client = api(system(world.gp))
    client.post(f"{BASE}/ChargeItem", charge("a", 275))
    client.post(f"{BASE}/ChargeItem", charge("b", 62))
    corrected = client.post(f"{BASE}/ChargeItem", charge("a", 175))
    assert corrected.status_code == 200
    assert corrected.json()["meta"]["versionId"] == "2"
    assert year_total(world.family.kari) == 17_500 + 6_200
    row = CoPayment.objects.get(identifier_value="b")
    withdrawn = client.put(
        f"{BASE}/ChargeItem/{row.pk}", charge("b", 62, status="entered-in-error") | {"id": str(row.pk)}
    )
    assert withdrawn.status_code == 200, withdrawn.content
    assert year_total(world.family.kari) == 17_500
    assert CoPayment.objects.filter(identifier_value="b", entered_in_error=True).exists()


def test_reaching_the_cap_issues_the_card_audited_and_told_and_a_correction_below_withdraws_it(world: World):
    client = api(system(world.hospital))
    kari = world.family.kari
    Person.objects.filter(pk=kari.pk).update(mobile="41234567", notify_by_sms=True, notify_by_email=False)
    client.post(f"{BASE}/ChargeItem", charge("big", 3000, on="2026-02-01"))
    assert not ExemptionCard.objects.exists()
    client.post(f"{BASE}/ChargeItem", charge("cross", 278, on="2026-03-05"))  # exactly the cap: 3,278 kr
    card = ExemptionCard.objects.get(person=kari, year=2026)
    assert (card.valid_from.isoformat(), card.in_force) == ("2026-03-05", True)
    issued = AuditEvent.objects.get(action="copayments:card:issued")
    assert (issued.subject_id, issued.resources) == (kari.pk, [f"ExemptionCard/{card.pk}"])
    assert list(Delivery.objects.values_list("person_id", "event")) == [(kari.pk, "exemption_card_issued")]
    assert text_for(Event.EXEMPTION_CARD_ISSUED).body == (
        "Du har fått frikort for helsetjenester. Logg inn på helseportalen for å se det."
    )
    assert queries.year_view(kari, 2026).summary.refund_ore == 0

    client.post(f"{BASE}/ChargeItem", charge("cross", 277, on="2026-03-05"))  # one krone below the cap again
    card.refresh_from_db()
    assert card.withdrawn_at is not None
    assert AuditEvent.objects.filter(action="copayments:card:withdrawn", subject_id=kari.pk).exists()

    client.post(f"{BASE}/ChargeItem", charge("late", 375, on="2026-04-01"))
    card.refresh_from_db()
    assert (card.valid_from.isoformat(), card.in_force) == ("2026-04-01", True)
    assert queries.year_view(kari, 2026).summary.refund_ore == 3000_00 + 277_00 + 375_00 - 3278_00


def test_the_service_date_in_norwegian_time_decides_the_year(world: World):
    client = api(system(world.gp))
    client.post(f"{BASE}/ChargeItem", charge("eve", 100, on="2025-12-31T23:30:00+01:00"))
    client.post(f"{BASE}/ChargeItem", charge("night", 200, on="2025-12-31T23:30:00Z"))  # 00:30 on 1 January in Oslo
    kari = world.family.kari
    assert year_total(kari, 2025) == 10_000
    assert year_total(kari, 2026) == 20_000


def test_a_system_searches_its_co_payments_by_patient_identifier_and_occurrence(world: World):
    client = api(system(world.gp))
    client.post(f"{BASE}/ChargeItem", charge("a", 175, on="2026-01-10"))
    client.post(f"{BASE}/ChargeItem", charge("b", 62, on="2026-03-10"))
    kari = world.family.kari
    by_patient = client.get(f"{BASE}/ChargeItem?patient=Patient/{kari.pk}&_sort=occurrence").json()
    assert [e["resource"]["identifier"][0]["value"] for e in by_patient["entry"]] == ["a", "b"]
    by_date = client.get(f"{BASE}/ChargeItem?occurrence=ge2026-02-01").json()
    assert [e["resource"]["identifier"][0]["value"] for e in by_date["entry"]] == ["b"]
    by_identifier = client.get(f"{BASE}/ChargeItem?identifier={EPJ}|a").json()
    assert len(by_identifier["entry"]) == 1
    other = api(system(world.hospital, "hospital-epj")).get(f"{BASE}/ChargeItem").json()
    assert other.get("entry", []) == []  # never another unit's co-payments


def test_kari_s_app_reads_hers_and_a_parent_s_app_for_a_12_to_15_year_old_reads_none(world: World):
    gp = api(system(world.hospital))
    gp.post(f"{BASE}/ChargeItem", charge("k", 175))
    gp.post(f"{BASE}/ChargeItem", charge("n", 175, pid=personas.NORA.pid))
    family = world.family
    app = Actor(
        role=Role.CITIZEN, assurance=Assurance.HIGH, person_id=family.kari.pk, subject_id=family.kari.pk,
        client_id="helseapp", scopes=frozenset({"patient/*.rs"}),
    )  # fmt: skip
    found = api(app).get(f"{BASE}/ChargeItem").json()
    assert [e["resource"]["identifier"][0]["value"] for e in found["entry"]] == ["k"]
    parent = Actor(
        role=Role.PARENT, assurance=Assurance.HIGH, person_id=family.kari.pk, subject_id=family.nora.pk,
        client_id="helseapp", scopes=frozenset({"patient/*.rs"}),
    )  # fmt: skip
    assert api(parent).get(f"{BASE}/ChargeItem").json().get("entry", []) == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"identifier": []}, "identifikator"),
        ({"status": "planned"}, "billable"),
        ({"priceOverride": {"value": 175, "currency": "EUR"}}, "NOK"),
        ({"priceOverride": {"value": -5, "currency": "NOK"}}, "mellom 0"),
        ({"priceOverride": {"value": 17.555, "currency": "NOK"}}, "to desimaler"),
        ({"occurrenceDateTime": "2099-01-01"}, "fram i tid"),
        ({"code": {"coding": []}}, "tjeneste"),
    ],
)
def test_bad_input_is_refused_with_a_norwegian_operation_outcome_and_nothing_is_stored(world: World, changes, words):
    answer = api(system(world.gp)).post(f"{BASE}/ChargeItem", charge("bad", 175) | changes)
    assert answer.status_code in (400, 422), answer.content
    body = answer.json()
    assert body["resourceType"] == "OperationOutcome"
    assert words in body["issue"][0]["details"]["text"]
    assert not CoPayment.objects.exists()


def test_a_person_not_tied_to_the_unit_is_a_404_like_a_missing_one(world: World):
    answer = api(system(world.gp)).post(f"{BASE}/ChargeItem", charge("per", 175, pid=personas.PER.pid))
    assert answer.status_code == 404
    assert answer.json()["resourceType"] == "OperationOutcome"
    assert not CoPayment.objects.exists()


def test_only_a_system_client_of_a_unit_writes(world: World):
    kari = world.family.kari
    app = Actor(
        role=Role.CITIZEN, assurance=Assurance.HIGH, person_id=kari.pk, subject_id=kari.pk, client_id="helseapp",
        scopes=frozenset({"patient/ChargeItem.cruds"}),
    )  # fmt: skip
    answer = api(app).post(f"{BASE}/ChargeItem", charge("mine", 1))
    assert 400 <= answer.status_code < 500
    assert not CoPayment.objects.exists()


sends = st.lists(
    st.tuples(st.sampled_from("abcd"), st.integers(min_value=0, max_value=150_000), st.booleans()), max_size=12
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sends)
def test_the_total_is_always_the_sum_of_the_latest_amount_per_provider_identifier(world: World, sent):
    """Re-sent and corrected registrations, in any order: the sum is the latest amount per identifier that is not
    withdrawn, and the card is in force exactly when that reaches the cap."""
    from helseportal.copayments import services

    actor = system(world.gp)
    with transaction.atomic():
        latest: dict[str, tuple[int, bool]] = {}
        for key, ore, withdrawn in sent:
            status = "entered-in-error" if withdrawn else "billed"
            services.receive(actor, charge(key, ore / 100, status=status))
            latest[key] = (ore, withdrawn)
        expected = sum(ore for ore, withdrawn in latest.values() if not withdrawn)
        assert year_total(world.family.kari) == expected
        card = ExemptionCard.objects.filter(person=world.family.kari, year=2026).first()
        assert (card is not None and card.in_force) == (expected >= 327_800)
        transaction.set_rollback(True)
