"""Who may read and write whose messages: self, parents by the child's age, youth units, staff by membership."""

import datetime

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from helseportal.access.models import AuditEvent, Outcome
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.identity.models import Person, Practitioner
from helseportal.messaging import services
from helseportal.messaging.models import Thread
from helseportal.messaging.rules import kinds_for, may_write_to
from helseportal.messaging.tests.conftest import parent_for, person, unit
from helseportal.organisations.models import Membership, UnitKind

pytestmark = pytest.mark.django_db


def _thread_for(actor: Actor, unit_persona: personas.UnitPersona, subject: str = "Spørsmål") -> Thread:
    return services.start_thread(actor, unit_id=unit(unit_persona).pk, subject=subject, body="Hei")


def _make_nora(age: int) -> None:
    """Nora as she is at `age` (an update: Person.save() would derive the date from her number again)."""
    born = today().replace(year=today().year - age) - datetime.timedelta(days=1)
    Person.objects.filter(pid=personas.NORA.pid).update(birth_date=born)


def test_kari_reads_her_own_thread(client: Client, kari: Actor, karis_thread: Thread):
    log_in(client, kari)
    assert client.get(f"/meldinger/{karis_thread.pk}/").status_code == 200


def test_per_gets_404_for_karis_thread_as_if_it_did_not_exist(client: Client, karis_thread: Thread):
    log_in(client, actors.citizen(personas.PER))
    assert client.get(f"/meldinger/{karis_thread.pk}/").status_code == 404
    assert client.post(f"/meldinger/{karis_thread.pk}/", {"body": "Hei"}).status_code == 404
    assert "Utslett" not in client.get("/meldinger/").content.decode()


def test_kari_writes_to_the_gp_office_for_ola_who_is_10(client: Client, kari: Actor):
    for_ola = parent_for(personas.KARI, personas.OLA)
    log_in(client, for_ola)
    response = client.post(
        "/meldinger/ny/", {"unit": unit(personas.HEALTH_STATION).pk, "subject": "Ola hoster", "body": "Hei"}
    )
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.person_id == person(personas.OLA).pk
    assert thread.created_by_person_id == kari.person_id
    assert "Ola hoster" in client.get("/meldinger/").content.decode()


def test_a_parent_of_a_15_year_old_cannot_read_or_send_her_messages_and_sees_no_trace(client: Client, kari: Actor):
    nora = person(personas.NORA)
    _make_nora(17)  # a thread Nora started with HFU when she was 17 ...
    noras_thread = _thread_for(actors.citizen(personas.NORA), personas.HFU_OSLO, "Prevensjon")
    _make_nora(15)  # ... and a parent of the Nora who is 15 today
    log_in(client, parent_for(personas.KARI, personas.NORA))
    assert client.get("/meldinger/").status_code == 404
    assert client.get(f"/meldinger/{noras_thread.pk}/").status_code == 404
    assert client.get("/meldinger/ny/").status_code == 404
    assert (
        client.post(
            "/meldinger/ny/", {"unit": unit(personas.MAJORSTUEN_GP).pk, "subject": "x", "body": "y"}
        ).status_code
        == 404
    )
    assert client.post(f"/meldinger/{noras_thread.pk}/", {"body": "Hei"}).status_code == 404
    attachment_page = client.get("/meldinger/vedlegg/1/")
    assert attachment_page.status_code == 404
    # Her audit log, as her mother sees it, holds nothing about the youth thread.
    log_response = client.get("/logg/")
    assert log_response.status_code == 200
    log_page = log_response.content.decode()
    assert "Prevensjon" not in log_page
    assert "Helsestasjon for ungdom" not in log_page
    denied = AuditEvent.objects.filter(subject_id=nora.pk, outcome=Outcome.DENIED)
    assert denied.filter(reason="restricted_12_to_15:messages").exists()


def test_youth_of_16_may_write_to_hfu_and_the_thread_is_hidden_from_representatives(kari: Actor):
    _make_nora(16)
    thread = _thread_for(actors.citizen(personas.NORA), personas.HFU_OSLO)
    assert thread.hidden_from_representatives
    event = AuditEvent.objects.get(action="messaging:message:sent", subject_id=thread.person_id)
    assert event.hidden_from_representatives


def test_a_15_year_old_cannot_write_to_hfu_through_meldinger(demo: None):
    _make_nora(15)
    with pytest.raises(Refused):
        _thread_for(actors.citizen(personas.NORA), personas.HFU_OSLO)


def test_a_representative_never_writes_to_a_youth_unit():
    assert not may_write_to("hfu", subject_age=10, acts_for_other=True).allowed
    assert not may_write_to("sht", subject_age=17, acts_for_other=True).allowed
    assert may_write_to("gp_office", subject_age=10, acts_for_other=True).allowed
    assert not may_write_to("school", subject_age=40, acts_for_other=False).allowed


def test_kari_cannot_write_to_a_school(kari: Actor):
    with pytest.raises(Refused):
        _thread_for(kari, personas.SCHOOL_OSLO)


def test_staff_of_the_unit_read_the_thread(client: Client, lars: Actor, karis_thread: Thread):
    log_in(client, lars)
    assert client.get(f"/helsepersonell/meldinger/{karis_thread.pk}/").status_code == 200


def test_staff_of_another_unit_get_404_and_the_denial_is_audited(client: Client, karis_thread: Thread):
    log_in(client, actors.clinician(personas.METTE, personas.HEALTH_STATION))
    assert client.get(f"/helsepersonell/meldinger/{karis_thread.pk}/").status_code == 404
    assert client.post(f"/helsepersonell/meldinger/{karis_thread.pk}/", {"body": "Hei"}).status_code == 404
    assert "Utslett" not in client.get("/helsepersonell/meldinger/?vis=alle").content.decode()
    assert AuditEvent.objects.filter(
        action="messaging:thread:read", outcome=Outcome.DENIED, subject_id=karis_thread.person_id
    ).exists()


def test_a_practitioner_without_membership_at_the_unit_gets_404(client: Client, karis_thread: Thread):
    # Mette claims to act for the GP office, where she has no membership.
    log_in(client, actors.clinician(personas.METTE, personas.MAJORSTUEN_GP))
    assert client.get("/helsepersonell/meldinger/").status_code == 404
    assert client.get(f"/helsepersonell/meldinger/{karis_thread.pk}/").status_code == 404


def test_an_editor_membership_is_not_enough(client: Client, karis_thread: Thread):
    lars = Practitioner.objects.get(hpr_number=personas.LARS.hpr_number)
    Membership.objects.filter(practitioner=lars).update(role="editor")
    log_in(client, actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    assert client.get("/helsepersonell/meldinger/").status_code == 404


def test_a_citizen_cannot_reach_the_staff_pages(client: Client, kari: Actor):
    log_in(client, kari)
    response = client.get("/helsepersonell/meldinger/")
    assert response.status_code == 302  # to the HelseID login


def test_the_form_offers_youth_units_only_to_youth_of_16_to_20():
    assert "hfu" not in kinds_for(subject_age=32, acts_for_other=False)
    assert "hfu" in kinds_for(subject_age=17, acts_for_other=False)
    assert "sht" not in kinds_for(subject_age=17, acts_for_other=True)


@given(age=st.integers(min_value=0, max_value=110), kind=st.sampled_from([k.value for k in UnitKind]))
def test_youth_units_take_messages_only_from_the_youth_herself_aged_16_to_20(age: int, kind: str):
    by_herself = may_write_to(kind, subject_age=age, acts_for_other=False)
    by_representative = may_write_to(kind, subject_age=age, acts_for_other=True)
    if kind in ("hfu", "sht"):
        assert by_herself.allowed == (16 <= age <= 20)
        assert not by_representative.allowed
        assert by_herself.hidden_from_representatives
    else:
        # a school is no health service; the patient travel office takes claims and complaints in Pasientreiser
        assert by_herself.allowed == by_representative.allowed == (kind not in ("school", "travel_office"))
