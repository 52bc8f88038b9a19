import pytest
from django.core.management import call_command

from helseportal.access.models import SharingGrant
from helseportal.access.policy import check
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.demo import personas
from helseportal.identity.models import Person, Practitioner
from helseportal.pregnancy.models import Consultation, Pregnancy, SfMeasurement, Symptom
from helseportal.pregnancy.queries import Card

pytestmark = pytest.mark.django_db


@pytest.mark.dates  # week 24+3 whatever the day
def test_demo_gives_kari_a_pregnancy_in_week_24_shared_with_mette_only():
    call_command("demo")
    call_command("demo")  # idempotent
    kari = Person.objects.get(pid=personas.KARI.pid)
    pregnancy = Pregnancy.objects.get(person=kari)
    from helseportal.core.time import today

    card = Card(pregnancy=pregnancy, on=today())
    assert str(card.ga) == "24+3"
    assert pregnancy.due_date_source == "ultrasound"
    weeks = sorted(card.ga_on(c.date).weeks for c in Consultation.objects.filter(pregnancy=pregnancy))
    assert weeks == [8, 12, 18, 24]
    assert Symptom.objects.filter(pregnancy=pregnancy, kind="nausea").exists()
    assert SfMeasurement.objects.filter(pregnancy=pregnancy).count() >= 1
    assert SharingGrant.objects.filter(person=kari).count() == 1

    def clinician(persona) -> Actor:
        p = Practitioner.objects.get(hpr_number=persona.hpr_number)
        return Actor(role=Role.PRACTITIONER, assurance=Assurance.HIGH, practitioner_id=p.pk, hpr_number=p.hpr_number)

    assert check(clinician(personas.METTE), subject_id=kari.pk, area="pregnancy", write=True)
    assert not check(clinician(personas.LARS), subject_id=kari.pk, area="pregnancy")


def test_demo_publishes_the_week_pages_her_overview_links_to():
    from helseportal.content.queries import week_article

    call_command("demo")
    assert week_article(24) is not None
    assert week_article(8) is not None
