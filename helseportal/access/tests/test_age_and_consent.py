"""The one-person read of her age and youth-access consent (`policy._age_and_consent`, a statement written once per
process) answers as the ORM's read for many (`_ages_and_consents`): no consent, one in force, one withdrawn."""

import datetime

import pytest

from helseportal.access import policy
from helseportal.access.models import YouthAccessConsent
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person

pytestmark = pytest.mark.django_db


def test_the_one_person_read_is_the_many_persons_read() -> None:
    load_demo()
    people = {p.key: Person.objects.get(pid=p.pid) for p in personas.CITIZENS}
    nora, kari = people["nora"], people["kari"]
    now = datetime.datetime.now(datetime.UTC)

    def same() -> None:
        for person in people.values():
            assert policy._age_and_consent(person.pk) == policy._ages_and_consents([person.pk])[person.pk]

    YouthAccessConsent.objects.filter(child=nora).delete()
    same()
    assert policy._age_and_consent(nora.pk) == (nora.age_on(policy.today()), False)
    consent = YouthAccessConsent.objects.create(child=nora, given_by=kari, given_at=now)
    same()
    assert policy._age_and_consent(nora.pk)[1] is True  # type: ignore[index]
    consent.withdrawn_at, consent.withdrawn_by = now, kari
    consent.save()
    same()
    assert policy._age_and_consent(nora.pk)[1] is False  # type: ignore[index]
    assert policy._age_and_consent(max(p.pk for p in people.values()) + 1000) is None
