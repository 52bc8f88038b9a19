"""Each completed transaction counts its cell once, in its transaction (never for a rollback or a refusal); a whole
story leaves counters that hold nothing about a person."""

import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from django.db import models, transaction
from django.test import Client

from helseportal.appointments import services as appointments
from helseportal.appointments.models import FreeTime, MeetingForm
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.errors import Refused
from helseportal.core.testing import log_in
from helseportal.core.time import OSLO, today
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.forms import services as forms
from helseportal.identity import services as identity
from helseportal.identity.models import Person, Practitioner
from helseportal.messaging import services as messaging
from helseportal.organisations.models import Unit
from helseportal.pregnancy import services as pregnancy
from helseportal.stats import services
from helseportal.stats.models import Counter

pytestmark = pytest.mark.django_db
Cell = tuple[str, str, str, str, str]  # event, service, unit, municipality, detail
Capture = Callable[..., AbstractContextManager[list[Callable[[], object]]]]


@pytest.fixture
def demo(db: None) -> Iterator[None]:
    load_demo()  # in the test's transaction: its own transactions never commit, so it counts nothing
    services.discard()
    yield
    services.discard()


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Capture) -> Callable[[], AbstractContextManager[object]]:
    """Run what is inside as if its transactions committed: their on-commit counts run at the end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def cells() -> dict[Cell, int]:
    return {(c.event, c.service, c.unit_orgnr, c.municipality, c.detail): c.count for c in Counter.objects.all()}


def unit(persona: personas.UnitPersona) -> Unit:
    return Unit.objects.get(orgnr=persona.orgnr)


def kari() -> Actor:
    return actors.citizen(personas.KARI)


def lars() -> Actor:
    return actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)


def at_gp(event: str, service: str, detail: str) -> Cell:
    gp = unit(personas.MAJORSTUEN_GP)
    return (event, service, gp.orgnr, gp.municipality_number, detail)


def test_a_message_counts_once_at_the_unit_by_the_side_that_sent_it(demo: None, committed) -> None:
    with committed():
        thread = messaging.start_thread(kari(), unit_id=unit(personas.MAJORSTUEN_GP).pk, subject="Utslett", body="Hei")
        messaging.reply(lars(), thread.pk, body="Kom innom.")
        messaging.reply(kari(), thread.pk, body="Takk.")
    assert cells() == {
        at_gp("message_sent", "messages", "citizen"): 2,
        at_gp("message_sent", "messages", "unit"): 1,
    }


def sent_then_failed(unit_id: int) -> None:
    with transaction.atomic():
        messaging.start_thread(kari(), unit_id=unit_id, subject="Utslett", body="Hei")
        raise RuntimeError


def test_a_refused_or_rolled_back_message_counts_nothing(demo: None, committed) -> None:
    gp = unit(personas.MAJORSTUEN_GP).pk
    with committed():
        with pytest.raises(Refused):
            messaging.start_thread(kari(), unit_id=gp, subject="Utslett", body="   ")
        with pytest.raises(RuntimeError):
            sent_then_failed(gp)
    assert cells() == {}
    assert services.pending() == 0


def test_a_parents_message_to_the_health_station_is_a_message_at_that_unit_and_no_more(demo: None, committed) -> None:
    """The unit tells the kind (a message to the school nurse is one at an `sht` unit); who wrote it is not told."""
    for_ola = kari().acting_for(Person.objects.get(pid=personas.OLA.pid).pk, Role.PARENT)
    station = unit(personas.HEALTH_STATION)
    with committed():
        messaging.start_thread(for_ola, unit_id=station.pk, subject="Ola hoster", body="Hei")
    assert cells() == {("message_sent", "messages", station.orgnr, station.municipality_number, "citizen"): 1}


def _free_time() -> FreeTime:
    gp, practitioner = unit(personas.MAJORSTUEN_GP), Practitioner.objects.get(hpr_number=personas.LARS.hpr_number)
    starts = datetime.datetime.combine(today() + datetime.timedelta(days=8), datetime.time(14, 40), tzinfo=OSLO)
    return FreeTime.objects.create(
        unit=gp, practitioner=practitioner, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=20)
    )


def test_a_request_answered_with_a_time_counts_requested_answered_and_booked_once_each(demo: None, committed) -> None:
    slot = _free_time()
    with committed():
        request = appointments.request_appointment(
            kari(), unit_id=slot.unit_id, meeting_form=MeetingForm.PHYSICAL, phone="91234567", reason="Kontroll"
        )
        appointments.answer_request(lars(), request.pk, meeting_form=MeetingForm.PHYSICAL, free_time_id=slot.pk)
    assert cells() == {
        at_gp("appointment_requested", "appointments", "gp"): 1,
        at_gp("request_answered", "appointments", "gp"): 1,
        at_gp("appointment_booked", "appointments", "gp"): 1,
    }


def test_a_declined_request_counts_an_answer_and_no_booking(demo: None, committed) -> None:
    with committed():
        request = appointments.request_appointment(
            kari(), unit_id=unit(personas.MAJORSTUEN_GP).pk, meeting_form=MeetingForm.PHONE, phone="91234567"
        )
        appointments.decline(lars(), request.pk, answer="Ring oss.")
        with pytest.raises(Refused):  # answered already: refused, not counted again
            appointments.decline(lars(), request.pk, answer="Ring oss.")
    assert cells() == {
        at_gp("appointment_requested", "appointments", "gp"): 1,
        at_gp("request_answered", "appointments", "gp"): 1,
    }


def test_a_proposal_and_then_a_confirmation_count_one_answer_to_the_request(demo: None, committed) -> None:
    slot = _free_time()
    with committed():
        request = appointments.request_appointment(
            kari(), unit_id=slot.unit_id, meeting_form=MeetingForm.PHYSICAL, phone="91234567"
        )
        appointments.propose_change(lars(), request.pk, answer="Passer torsdag?")
        appointments.propose_change(lars(), request.pk, answer="Eller fredag?")
        appointments.answer_request(lars(), request.pk, meeting_form=MeetingForm.PHYSICAL, free_time_id=slot.pk)
    assert cells()[at_gp("request_answered", "appointments", "gp")] == 1  # one request answered, once
    assert cells()[at_gp("appointment_booked", "appointments", "gp")] == 1


def test_sharing_the_card_counts_at_the_unit_and_with_a_practitioner_at_none(demo: None, committed) -> None:
    station = unit(personas.HEALTH_STATION)
    until = {"permission": "read", "valid_to": today() + datetime.timedelta(days=30)}
    with committed():
        pregnancy.share_with_unit(kari(), unit_id=station.pk, **until)
        pregnancy.share_with_practitioner(
            kari(), hpr_number=personas.METTE.hpr_number, family_name=personas.METTE.family_name, **until
        )
        with pytest.raises(Refused):
            pregnancy.share_with_unit(
                kari(), unit_id=station.pk, permission="read", valid_to=today().replace(year=2000)
            )
    assert cells() == {
        ("card_shared", "pregnancy", station.orgnr, station.municipality_number, "unit"): 1,
        ("card_shared", "pregnancy", "", "", "practitioner"): 1,
    }


def test_a_form_counts_once_by_its_url_under_its_service(demo: None, committed) -> None:
    form = forms.load_shipped("symptomsjekk", unit=unit(personas.MAJORSTUEN_GP), public=True)
    answers = {"pustebesvaer": [{"valueBoolean": False}], "dager": [{"valueInteger": 2}]}
    with committed():
        forms.start(kari(), form.pk)
        forms.save_step(kari(), form.pk, 1, answers, list(answers))
        forms.submit(kari(), form.pk)
    assert cells() == {at_gp("form_submitted", "forms", form.url): 1}


def test_a_login_counts_by_its_assurance_level(demo: None, committed) -> None:
    nora = actors.citizen(personas.NORA, Assurance.SUBSTANTIAL)
    with committed():
        identity.log_in("idporten", kari(), issuer="idporten", sid="", session_key="")
        identity.log_in("idporten", nora, issuer="idporten", sid="", session_key="")
        identity.log_in("helseid", lars(), issuer="helseid", sid="", session_key="")
    assert cells() == {
        ("login", "login", "", "", "high"): 1,
        ("login", "login", "", "", "substantial"): 1,
        ("login", "login", "", "", "helseid"): 1,
    }


def start_card() -> None:
    """Kari's card in week 30 (the demo leaves her between pregnancies on the test's day)."""
    pregnancy.start_pregnancy(kari(), subject_id=kari().subject_key, lmp=today() - datetime.timedelta(days=30 * 7))


def client_for(actor: Actor) -> Client:
    client = Client()
    log_in(client, actor)
    return client


def test_every_pdf_counts_once_by_what_it_is(demo: None, committed) -> None:
    ola = Person.objects.get(pid=personas.OLA.pid)
    start_card()
    with committed():
        assert client_for(kari()).get("/gravid/helsekort.pdf").status_code == 200
        assert client_for(kari().acting_for(ola.pk, Role.PARENT)).get("/vaksiner/attest/").status_code == 200
    found = {(event, service, detail): n for (event, service, _, _, detail), n in cells().items() if event != "view"}
    assert found == {
        ("pdf_exported", "pregnancy", "pregnancy_card"): 1,
        ("pdf_exported", "vaccines", "vaccines_certificate"): 1,
    }


def test_a_download_is_no_page_view_only_html_pages_are(demo: None, committed) -> None:
    ola = Person.objects.get(pid=personas.OLA.pid)
    start_card()
    with committed():
        assert client_for(kari()).get("/gravid/helsekort.pdf").status_code == 200
        assert client_for(kari().acting_for(ola.pk, Role.PARENT)).get("/vaksiner/attest/").status_code == 200
        assert client_for(kari()).get("/gravid/").status_code == 200
    views = {service: n for (event, service, _, _, _), n in cells().items() if event == "view"}
    assert views == {"pregnancy": 1}  # the page, not the PDFs (each counted once as pdf_exported)


# --- Nothing about a person ----------------------------------------------------------------------------------------


def test_no_column_of_the_counter_points_at_anything() -> None:
    relations = [f.name for f in Counter._meta.get_fields() if f.is_relation]
    assert relations == []
    assert {f.name for f in Counter._meta.concrete_fields} == {
        "id",
        "day",
        "event",
        "service",
        "unit_orgnr",
        "municipality",
        "detail",
        "count",
    }
    assert all(not isinstance(f, models.ForeignKey) for f in Counter._meta.concrete_fields)


def test_a_whole_story_leaves_counters_with_nothing_about_a_person(demo: None, committed) -> None:
    """Kari's card shared and exported, a message and a booking, a form; Kari for Ola; logins and page views."""
    ola = Person.objects.get(pid=personas.OLA.pid)
    station = unit(personas.HEALTH_STATION)
    slot = _free_time()
    start_card()
    with committed():
        identity.log_in("idporten", kari(), issuer="idporten", sid="", session_key="")
        pregnancy.share_with_unit(
            kari(), unit_id=station.pk, permission="read", valid_to=today() + datetime.timedelta(days=30)
        )
        thread = messaging.start_thread(kari(), unit_id=slot.unit_id, subject="Utslett", body="Hei")
        messaging.reply(lars(), thread.pk, body="Kom innom.")
        request = appointments.request_appointment(
            kari(), unit_id=slot.unit_id, meeting_form=MeetingForm.PHYSICAL, phone="91234567"
        )
        appointments.answer_request(lars(), request.pk, meeting_form=MeetingForm.PHYSICAL, free_time_id=slot.pk)
        client = client_for(kari())
        for path in ("/gravid/", "/gravid/helsekort/", "/gravid/helsekort.pdf", "/meldinger/", "/timeavtaler/"):
            assert client.get(path).status_code == 200, path
        parent = client_for(kari().acting_for(ola.pk, Role.PARENT))
        for path in ("/vaksiner/", "/vaksiner/attest/", "/meldinger/"):
            assert parent.get(path).status_code == 200, path
        assert client_for(lars()).get("/helsepersonell/meldinger/").status_code == 200
    rows = list(Counter.objects.values_list("day", "event", "service", "unit_orgnr", "municipality", "detail", "count"))
    assert len(rows) >= 10
    people = list(Person.objects.all()) + list(Practitioner.objects.all())
    forbidden: set[str] = set()
    for someone in people:
        forbidden |= {
            str(someone.pk),
            someone.full_name,
            getattr(someone, "pid", ""),
            getattr(someone, "hpr_number", ""),
        }
        forbidden |= {getattr(someone, "given_name", ""), getattr(someone, "family_name", "")}
    forbidden.discard("")
    for row in rows:
        for value in row[:-1]:  # the count is a number of events, not anyone's key
            assert str(value) not in forbidden, (row, value)
    assert ("view", "vaccines") in {(r[1], r[2]) for r in rows}  # the parent's view counted, nothing about who
