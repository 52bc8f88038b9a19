"""What Mette sees of what Kari registered herself: home readings, symptoms, the huskelapp and the sent first form.

Read-only on her card view, marked "Registrert av kvinnen selv" with date and time, under the ids the worklist's
flags link to; her draft stays hers; the audit record of the read lists what was shown. A proxy sees them on
Kari's own card page, marked "Egenregistrert"; a parent acting for a child has no card to see.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from helseportal.access.models import AuditEvent, PowerOfAttorney
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.time import OSLO, today
from helseportal.demo import personas
from helseportal.identity.models import Person
from helseportal.pregnancy import services
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.tests.test_card_views import client_for, share_with_mette, start_at

pytestmark = pytest.mark.django_db

ANCHORS = ("hjemmemalinger", "symptomer", "huskelapp", "kartlegging", "konsultasjoner", "prover", "sf-mal")
OWN_WORDS = "Jeg er redd for fødselen etter forrige gang."


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OSLO)


def part(html: str, anchor: str) -> str:
    """The HTML of the section with this id, with the sections inside it."""
    start = re.search(rf'<section [^>]*id="{anchor}"', html)
    assert start, f"no section #{anchor} on the page"
    depth = 0
    for tag in re.finditer(r"<section\b|</section>", html[start.start() :]):
        depth += 1 if tag.group(0) == "<section" else -1
        if depth == 0:
            return html[start.start() : start.start() + tag.end()]
    raise AssertionError(f"section #{anchor} is not closed")


@pytest.fixture
def pregnancy(kari: Actor) -> Pregnancy:
    return start_at(kari)


@pytest.fixture
def registered(kari: Actor, pregnancy: Pregnancy) -> Pregnancy:
    """Yesterday at 08:00 124/78 and at 20:00 148/96, a weight, a symptom, a note and the sent first form."""
    yesterday = today() - datetime.timedelta(days=1)
    with transaction.atomic():
        for hour, systolic, diastolic in ((20, 148, 96), (8, 124, 78)):  # the later one registered first
            services.add_own_measurement(
                kari, pregnancy, kind="bp", measured_at=at(yesterday, hour), systolic=systolic, diastolic=diastolic
            )
        services.add_own_measurement(
            kari, pregnancy, kind="weight", measured_at=at(yesterday, 7), value=Decimal("71.5")
        )
        services.add_symptom(kari, pregnancy, date=yesterday, kind="headache", severity="severe", note="Flimring")
        services.add_note(kari, pregnancy, "Spørre om jern")
        services.save_first_form(kari, pregnancy, {"other": {"text": OWN_WORDS}}, submit=True)
    return pregnancy


def mettes_view(pregnancy: Pregnancy, mette: Actor) -> str:
    response = client_for(mette).get(reverse("pregnancy:practitioner_card", args=[pregnancy.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_mette_sees_each_of_karis_own_entries_marked_as_hers_with_date_and_time(
    kari: Actor, mette: Actor, registered: Pregnancy
):
    share_with_mette(kari)
    html = mettes_view(registered, mette)
    yesterday = (today() - datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    readings = part(html, "hjemmemalinger")
    assert f"{yesterday} 20:00" in readings
    assert "148/96 mmHg" in readings
    assert f"{yesterday} 08:00" in readings
    assert "124/78 mmHg" in readings
    assert readings.index("148/96") < readings.index("124/78")  # newest first
    assert "140/90 eller høyere" in readings  # the reading behind the flag is marked
    assert "71,5 kg" in readings
    assert "Registrert av kvinnen selv" in readings
    symptoms = part(html, "symptomer")
    assert "Hodepine" in symptoms
    assert "Flimring" in symptoms
    assert "Registrert av kvinnen selv" in symptoms
    notes = part(html, "huskelapp")
    assert "Spørre om jern" in notes
    assert "Ikke tatt opp ennå" in notes
    assert OWN_WORDS in part(html, "kartlegging")
    assert "Marker som feilregistrert" not in html  # her words are hers to correct
    for anchor in ANCHORS:
        assert f'id="{anchor}"' in html


def test_her_draft_of_the_first_form_is_not_shown_to_the_midwife(kari: Actor, mette: Actor, pregnancy: Pregnancy):
    share_with_mette(kari)
    with transaction.atomic():
        draft = services.save_first_form(kari, pregnancy, {"other": {"text": OWN_WORDS}}, submit=False)
    html = mettes_view(pregnancy, mette)
    assert OWN_WORDS not in html
    assert "Kartleggingen er ikke sendt ennå." in part(html, "kartlegging")
    read = AuditEvent.objects.filter(action="pregnancy:card:read", actor_hpr_number=personas.METTE.hpr_number).last()
    assert f"QuestionnaireResponse/{draft.pk}" not in read.resources


def test_the_audit_record_of_mettes_read_lists_what_she_was_shown(kari: Actor, mette: Actor, registered: Pregnancy):
    share_with_mette(kari)
    mettes_view(registered, mette)
    read = AuditEvent.objects.filter(action="pregnancy:card:read", actor_hpr_number=personas.METTE.hpr_number).get()
    expected = [f"EpisodeOfCare/{registered.pk}"]
    expected += [f"OwnMeasurement/{m.pk}" for m in registered.own_measurements.all()]
    expected += [f"Symptom/{s.pk}" for s in registered.symptoms.all()]
    expected += [f"Note/{n.pk}" for n in registered.notes.all()]
    expected += [f"QuestionnaireResponse/{f.pk}" for f in registered.first_forms.all()]
    assert set(expected) <= set(read.resources)
    assert read.resources[0] == f"EpisodeOfCare/{registered.pk}"


def test_a_read_only_grant_shows_her_entries_too(kari: Actor, mette: Actor, registered: Pregnancy):
    share_with_mette(kari, permission="read")
    html = mettes_view(registered, mette)
    assert "148/96 mmHg" in part(html, "hjemmemalinger")
    assert "Spørre om jern" in part(html, "huskelapp")


def test_lars_without_a_grant_sees_none_of_it(kari: Actor, registered: Pregnancy):
    from helseportal.demo import actors

    share_with_mette(kari)
    lars = actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)
    response = client_for(lars).get(reverse("pregnancy:practitioner_card", args=[registered.pk]))
    assert response.status_code == 404


def test_she_sees_the_same_entries_on_her_card_page_and_may_correct_them(kari: Actor, registered: Pregnancy):
    html = client_for(kari).get(reverse("pregnancy:card")).content.decode()
    assert "148/96 mmHg" in part(html, "hjemmemalinger")
    assert "Egenregistrert" in part(html, "hjemmemalinger")
    assert "Registrert av kvinnen selv" not in html
    own = registered.own_measurements.filter(systolic=148).get()
    assert reverse("pregnancy:mark_in_error", args=["maling", own.pk]) in html
    assert OWN_WORDS in part(html, "kartlegging")


def test_a_proxy_with_her_power_of_attorney_sees_what_she_sees(kari: Actor, registered: Pregnancy):
    per = Person.objects.get(pid=personas.PER.pid)
    PowerOfAttorney.objects.create(giver_id=kari.person_id, receiver=per, area="pregnancy", valid_from=today())
    proxy = Actor(
        role=Role.PROXY, assurance=Assurance.HIGH, person_id=per.pk, subject_id=kari.person_id, display_name="Per"
    )
    html = client_for(proxy).get(reverse("pregnancy:card")).content.decode()
    assert "148/96 mmHg" in part(html, "hjemmemalinger")
    assert "Spørre om jern" in part(html, "huskelapp")
    assert client_for(proxy).get(reverse("pregnancy:practitioner_card", args=[registered.pk])).status_code == 302


def test_a_parent_acting_for_a_child_under_12_has_no_card_to_see(kari: Actor, registered: Pregnancy):
    ola = Person.objects.get(pid=personas.OLA.pid)
    parent = Actor(
        role=Role.PARENT, assurance=Assurance.HIGH, person_id=kari.person_id, subject_id=ola.pk, display_name="Kari"
    )
    client = client_for(parent)
    assert client.get(reverse("pregnancy:card")).status_code == 404
    assert "148/96" not in client.get(reverse("pregnancy:overview")).content.decode()
