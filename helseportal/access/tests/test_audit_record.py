"""audit.record(): one event per access, with the actor copied in, in the caller's transaction, chained."""

import datetime

import pytest
from django.db import transaction

from helseportal.access import audit
from helseportal.access.models import AuditEvent, Outcome
from helseportal.access.tests.audit_testing import Cast, cast_fixture, practitioner  # noqa: F401 - fixtures
from helseportal.demo import personas


class Boom(Exception):
    pass


def test_it_copies_the_citizen_and_the_subject_into_the_event(cast: Cast):
    event = audit.record(cast.kari, "profile:read", subject_id=cast.kari.subject_id, resources=["Patient/1"])
    event.refresh_from_db()
    assert (event.actor_role, event.actor_person_id, event.actor_name) == (
        "citizen",
        cast.kari.person_id,
        "Kari Nordmann",
    )
    assert event.subject_id == cast.kari.person_id
    assert event.on_behalf_of_id is None
    assert event.outcome == Outcome.ALLOWED
    assert event.resources == ["Patient/1"]
    assert abs(event.occurred_at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=1)


def test_it_records_whom_a_parent_acts_for(cast: Cast):
    event = audit.record(cast.kari_for_ola, "profile:read", subject_id=cast.ola_id)
    assert event.actor_person_id == cast.kari.person_id
    assert event.on_behalf_of_id == cast.ola_id
    assert event.actor_role == "parent"


def test_it_copies_a_practitioners_hpr_and_unit_and_reads_the_name_when_the_actor_has_none(cast: Cast):
    mette = practitioner(personas.METTE, personas.HEALTH_STATION, named=False)
    event = audit.record(mette, "profile:read", subject_id=cast.kari.person_id, purpose="svangerskapskontroll")
    assert event.actor_name == "Mette Berg"
    assert event.actor_hpr_number == "9144889"
    assert (event.actor_unit_name, event.actor_unit_orgnr) == ("Frogner helsestasjon", "910002740")
    assert event.actor_person_id is None
    assert event.purpose == "svangerskapskontroll"


def test_it_records_a_denial_with_its_reason(cast: Cast):
    event = audit.record(
        cast.per, "profile:read", subject_id=cast.kari.person_id, outcome=Outcome.DENIED, reason="no_relation"
    )
    assert (event.outcome, event.reason) == ("denied", "no_relation")


def test_it_refuses_a_code_that_is_not_registered(cast: Cast):
    with pytest.raises(ValueError, match="unknown audit code"):
        audit.record(cast.kari, "profile:peeked", subject_id=cast.kari.person_id)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        {"purpose": f"oppslag på {personas.KARI.pid}"},
        {"reason": personas.OLA.pid},
        {"resources": ["Patient/1", f"Patient/{personas.PER.pid}"]},
    ],
)
def test_it_refuses_text_that_holds_a_foedselsnummer(cast: Cast, text: dict):
    with pytest.raises(ValueError, match="fødselsnummer"):
        audit.record(cast.kari, "profile:read", subject_id=cast.kari.person_id, **text)
    assert not AuditEvent.objects.exists()


def test_a_rolled_back_transaction_leaves_no_audit_event(cast: Cast):
    def work_that_fails_after_auditing() -> None:
        with transaction.atomic():
            audit.record(cast.kari, "profile:contact:updated", subject_id=cast.kari.person_id)
            raise Boom

    with pytest.raises(Boom):
        work_that_fails_after_auditing()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_write_outside_the_callers_transaction(cast: Cast):
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        audit.record(cast.kari, "profile:read", subject_id=cast.kari.person_id)
    assert not AuditEvent.objects.exists()


def test_the_first_event_starts_the_chain_and_each_next_one_links_to_it(cast: Cast):
    written = [
        audit.record(cast.kari, "profile:read", subject_id=cast.kari.person_id),
        audit.record(cast.mette, "profile:read", subject_id=cast.kari.person_id),
    ]
    assert [(event.seq, event.hash, event.previous_hash) for event in written] == [(None, None, "")] * 2
    assert audit.chain_pending() == 2
    first, second = AuditEvent.objects.filter(pk__in=[event.pk for event in written]).order_by("seq")
    assert (first.seq, second.seq) == (1, 2)
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.hash
    assert len({first.hash, second.hash}) == 2


def test_the_stored_event_hashes_to_its_hash_on_this_database(cast: Cast):
    event = audit.record(cast.mette, "profile:read", subject_id=cast.kari.person_id, resources=["Observation/7"])
    audit.chain_pending()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.hash
    assert audit.compute_hash(stored) == stored.hash


def test_the_hash_covers_every_field_but_the_id_and_the_hash_itself():
    fields = {f.attname for f in AuditEvent._meta.concrete_fields} - {"id", "hash", "seq"}
    assert set(audit.HASHED_FIELDS) == fields, "a new field needs a new hash version; see HASHED_FIELDS"
