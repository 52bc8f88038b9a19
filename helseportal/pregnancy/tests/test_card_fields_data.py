"""The old one-fetus birth section moves to the per-fetus series, and the demo gets the new fields once."""

import datetime
import importlib

import pytest
from django.apps import apps

from helseportal.core.actor import Actor
from helseportal.core.time import OSLO
from helseportal.demo.pregnancy import load_pregnancy
from helseportal.demo.pregnancy_fields import load_pregnancy_fields
from helseportal.pregnancy.models import BirthOutcome, Pregnancy, SectionEntry
from helseportal.pregnancy.services.writing import provenance
from helseportal.pregnancy.tests.test_card_views import start_at

pytestmark = pytest.mark.django_db
migration = importlib.import_module("helseportal.pregnancy.migrations.0004_birth_section_to_birth_outcomes")


def _old_birth_section(mette: Actor, pregnancy: Pregnancy, data: dict[str, str]) -> SectionEntry:
    fields = provenance(mette, pregnancy.person_id)
    return SectionEntry.objects.create(pregnancy=pregnancy, section="birth", data=data, **fields)


def test_the_old_birth_section_becomes_fetus_1s_birth_status_with_its_author(kari: Actor, mette: Actor) -> None:
    pregnancy = start_at(kari)
    old = _old_birth_section(mette, pregnancy, {"status": "born", "time": "09.06.2026 14:05"})
    migration.forwards(apps, None)
    outcome = BirthOutcome.objects.get()
    assert (outcome.fetus, outcome.status) == (1, "live")
    assert outcome.born_at == datetime.datetime(2026, 6, 9, 14, 5, tzinfo=OSLO)
    assert (outcome.author_hpr_number, outcome.recorded_at) == (old.author_hpr_number, old.recorded_at)
    assert SectionEntry.objects.filter(section="birth").count() == 1  # kept, not deleted


def test_a_birth_time_that_cannot_be_read_stays_in_the_old_section_only(kari: Actor, mette: Actor) -> None:
    pregnancy = start_at(kari)
    _old_birth_section(mette, pregnancy, {"status": "stillborn", "time": "natt til tirsdag"})
    migration.forwards(apps, None)
    assert not BirthOutcome.objects.exists()


def test_the_demo_gets_the_new_fields_once(kari: Actor) -> None:
    load_pregnancy()
    assert load_pregnancy_fields() is True
    assert load_pregnancy_fields() is False
    pregnancy = Pregnancy.objects.get()
    assert pregnancy.ultrasounds.count() == 2
    assert pregnancy.earlier_births.count() == 2
    assert {v.vaccine for v in pregnancy.vaccinations.all()} == {"pertussis", "influenza"}
    assert pregnancy.sections.filter(section="birth_plan").exists()
    assert pregnancy.sections.filter(section="previous").latest("recorded_at", "pk").data["live_births"] == 2
