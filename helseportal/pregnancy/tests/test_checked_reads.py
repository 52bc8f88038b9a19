"""Every read of the card is checked by access and audited; a denial and a missing record answer alike (NotFound).

Issue 9: `queries.ongoing` took a person key and wrote no audit record; the views made their own access checks
and raised Http404. Now the queries and services decide through `access.policy` and raise the domain's `NotFound`.
"""

import datetime

import pytest
from django.db import transaction

from helseportal.access.models import AuditEvent, Outcome
from helseportal.core.actor import Actor, Role
from helseportal.core.errors import NotFound
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.identity.models import Person
from helseportal.pregnancy import queries, services
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.tests.test_card_views import share_with_mette, start_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari_for_nora(kari: Actor) -> Actor:
    """Kari acting for Nora (15): the card is Nora's alone, from 12 (DOMAIN.md §2), so Kari may not use it."""
    return kari.acting_for(Person.objects.get(pid=personas.NORA.pid).pk, Role.PARENT)


def test_her_ongoing_pregnancy_is_read_with_one_audit_record_naming_it(kari: Actor) -> None:
    pregnancy = start_at(kari)
    assert queries.ongoing(kari) == pregnancy
    read = AuditEvent.objects.get(action="pregnancy:card:read")
    assert (read.subject_id, read.resources, read.outcome) == (
        kari.subject_id,
        [f"EpisodeOfCare/{pregnancy.pk}"],
        "allowed",
    )


def test_her_card_is_one_read_with_one_audit_record(kari: Actor) -> None:
    pregnancy = start_at(kari)
    card = queries.ongoing_card(kari)
    assert card.pregnancy == pregnancy
    assert AuditEvent.objects.filter(action="pregnancy:card:read").count() == 1


def test_without_an_ongoing_pregnancy_she_gets_not_found_and_no_record_of_a_read(kari: Actor) -> None:
    with pytest.raises(queries.NoOngoingPregnancy):
        queries.ongoing(kari)
    assert issubclass(queries.NoOngoingPregnancy, NotFound)
    assert not AuditEvent.objects.filter(action="pregnancy:card:read").exists()


def test_someone_who_may_not_use_the_card_gets_not_found_and_the_denial_is_audited(kari_for_nora: Actor) -> None:
    with pytest.raises(NotFound):
        queries.ongoing(kari_for_nora)
    with pytest.raises(NotFound):
        queries.earlier(kari_for_nora)
    denied = AuditEvent.objects.filter(action="pregnancy:card:read", outcome=Outcome.DENIED)
    assert denied.exists()
    assert not AuditEvent.objects.filter(action="pregnancy:card:read", outcome=Outcome.ALLOWED).exists()


def test_a_missing_card_and_one_not_shared_are_both_not_found_for_health_personnel(kari: Actor) -> None:
    pregnancy = start_at(kari)
    lars = actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)
    for key in (pregnancy.pk, pregnancy.pk + 999):
        with pytest.raises(NotFound):
            queries.pregnancy_for(lars, key)


def test_her_earlier_pregnancies_are_an_audited_read(kari: Actor, mette: Actor) -> None:
    pregnancy = start_at(kari)
    share_with_mette(kari)
    with transaction.atomic():
        services.update_pregnancy(mette, pregnancy, status="birth", ended_on=pregnancy.due_date)
    assert queries.earlier(kari) == [Pregnancy.objects.get(pk=pregnancy.pk)]
    read = AuditEvent.objects.filter(action="pregnancy:card:read").get()
    assert read.resources == [f"EpisodeOfCare/{pregnancy.pk}"]


def test_a_correction_of_no_such_entry_or_someone_elses_is_not_found(kari: Actor, kari_for_nora: Actor) -> None:
    pregnancy = start_at(kari)
    with transaction.atomic():
        note = services.add_note(kari, pregnancy, "Spørre om jern")
        symptom = services.add_symptom(kari, pregnancy, kind="nausea", severity="mild", date=today())
    with pytest.raises(NotFound):
        services.mark_in_error(kari, "symptom", symptom.pk + 999)
    with pytest.raises(NotFound):
        services.mark_in_error(kari_for_nora, "symptom", symptom.pk)
    with pytest.raises(NotFound):
        services.tick_note(kari_for_nora, note.pk, True)
    with pytest.raises(NotFound):
        services.mark_in_error(kari, "symptom", symptom.pk, pregnancy_id=pregnancy.pk + 1)
    assert services.mark_in_error(kari, "symptom", symptom.pk).in_error


def test_sharing_the_card_needs_one_who_may_use_it(kari_for_nora: Actor) -> None:
    with pytest.raises(NotFound):
        services.share_with_practitioner(
            kari_for_nora,
            hpr_number=personas.METTE.hpr_number,
            family_name=personas.METTE.family_name,
            permission="read",
            valid_to=today() + datetime.timedelta(days=30),
        )
    with pytest.raises(NotFound):
        queries.grants(kari_for_nora)
