"""Sharing the pregnancy card with a practitioner or a unit, and what the policy makes of it."""

import datetime

import pytest
from django.db import transaction

from helseportal.access import sharing
from helseportal.access.models import AuditEvent, SharingGrant
from helseportal.access.policy import check
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.errors import Refused
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person, Practitioner
from helseportal.organisations.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari() -> Actor:
    load_demo()
    person = Person.objects.get(pid=personas.KARI.pid)
    return Actor(
        role=Role.CITIZEN,
        assurance=Assurance.HIGH,
        person_id=person.pk,
        subject_id=person.pk,
        display_name="Kari Nordmann",
    )


def clinician(persona, unit_key: str | None = None) -> Actor:
    practitioner = Practitioner.objects.get(hpr_number=persona.hpr_number)
    unit = Unit.objects.get(orgnr=next(u.orgnr for u in personas.UNITS if u.key == unit_key)) if unit_key else None
    return Actor(
        role=Role.PRACTITIONER,
        assurance=Assurance.HIGH,
        practitioner_id=practitioner.pk,
        hpr_number=practitioner.hpr_number,
        unit_id=unit.pk if unit else None,
        display_name=practitioner.full_name,
    )


def share(kari: Actor, **kwargs) -> SharingGrant:
    with transaction.atomic():
        return sharing.share_with_practitioner(kari, area="pregnancy", **kwargs)


def test_a_named_practitioner_can_read_after_sharing_and_not_after_revoking(kari: Actor):
    mette = clinician(personas.METTE)
    assert not check(mette, subject_id=kari.person_id, area="pregnancy")
    grant = share(kari, hpr_number=personas.METTE.hpr_number, family_name="berg", permission="read", valid_to=today())
    assert check(mette, subject_id=kari.person_id, area="pregnancy")
    assert not check(mette, subject_id=kari.person_id, area="pregnancy", write=True)
    sharing.revoke(kari, grant.pk)
    assert not check(mette, subject_id=kari.person_id, area="pregnancy")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "access:sharing:granted" in actions
    assert "access:sharing:revoked" in actions


def test_a_grant_to_a_unit_reaches_its_clinicians_only_while_they_act_for_it(kari: Actor):
    station = Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr)
    with transaction.atomic():
        sharing.share_with_unit(
            kari,
            area="pregnancy",
            unit_id=station.pk,
            permission="read_write",
            valid_to=today() + datetime.timedelta(days=30),
        )
    assert check(clinician(personas.METTE, "health_station"), subject_id=kari.person_id, area="pregnancy", write=True)
    assert not check(clinician(personas.METTE), subject_id=kari.person_id, area="pregnancy")
    assert not check(clinician(personas.LARS, "health_station"), subject_id=kari.person_id, area="pregnancy")
    assert not check(clinician(personas.LARS, "gp_office"), subject_id=kari.person_id, area="pregnancy")


def test_an_expired_grant_gives_nothing(kari: Actor):
    grant = share(kari, hpr_number=personas.METTE.hpr_number, family_name="Berg", permission="read", valid_to=today())
    SharingGrant.objects.filter(pk=grant.pk).update(valid_to=today() - datetime.timedelta(days=1))
    assert not check(clinician(personas.METTE), subject_id=kari.person_id, area="pregnancy")


@pytest.mark.parametrize(("hpr", "name"), [("9144889", "Hansen"), ("1234567", "Berg")])
def test_sharing_needs_the_right_name_and_hpr_number(kari: Actor, hpr: str, name: str):
    with pytest.raises(Refused, match="HPR-nummeret"):
        share(kari, hpr_number=hpr, family_name=name, permission="read", valid_to=today())


def test_sharing_cannot_end_in_the_past(kari: Actor):
    with pytest.raises(Refused, match="tilbake i tid"):
        share(
            kari,
            hpr_number=personas.METTE.hpr_number,
            family_name="Berg",
            permission="read",
            valid_to=today() - datetime.timedelta(days=1),
        )


def test_someone_else_cannot_revoke_karis_grant(kari: Actor):
    grant = share(kari, hpr_number=personas.METTE.hpr_number, family_name="Berg", permission="read", valid_to=today())
    per = Person.objects.get(pid=personas.PER.pid)
    intruder = Actor(role=Role.CITIZEN, assurance=Assurance.HIGH, person_id=per.pk, subject_id=per.pk)
    assert sharing.revoke(intruder, grant.pk) is None
    assert SharingGrant.objects.get(pk=grant.pk).revoked_at is None
