"""Appointments in the FHIR API: who sees which rows, and a unit's record system booking, moving, cancelling and
answering, idempotent by its business identifier (the St. Olavs lesson: never "cancelled + new")."""

import datetime
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B import get_fhir_model_class

from helseportal.access.models import AuditEvent
from helseportal.appointments import services
from helseportal.appointments.fhir import APPOINTMENT, api
from helseportal.appointments.models import Appointment, AppointmentRequest, AppointmentStatus, RequestStatus
from helseportal.appointments.tests.conftest import at, person, practitioner, unit
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.errors import Invalid, NotFound, Refused
from helseportal.core.ids import FNR_SYSTEM, HPR_SYSTEM, ORGNR_SYSTEM
from helseportal.demo import personas
from helseportal.fhir.provider import Outcome
from helseportal.identity.models import Person
from helseportal.notify.models import Delivery

pytestmark = pytest.mark.django_db

EPJ = "urn:oid:2.16.578.1.12.4.1.1.9999"  # the GP office's record system's booking numbers (illustrative)
UNKNOWN_PID = "01819010001"  # a valid synthetic fødselsnummer nobody in the demo has


def validate(resource: dict[str, Any]) -> dict[str, Any]:
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource


def system(where: personas.UnitPersona, client_id: str = "epj") -> Actor:
    return Actor(
        role=Role.SYSTEM,
        client_id=f"{client_id}-{where.key}",
        unit_id=unit(where).pk,
        scopes=frozenset({"system/Appointment.cruds"}),
        assurance=Assurance.HIGH,
    )


def app(persona: personas.CitizenPersona, subject: personas.CitizenPersona | None = None) -> Actor:
    """A citizen's app (SMART standalone launch), for herself or, as parent, for a child."""
    me, them = person(persona), person(subject or persona)
    return Actor(
        role=Role.PARENT if subject else Role.CITIZEN,
        person_id=me.pk,
        subject_id=them.pk,
        client_id="app",
        scopes=frozenset({"patient/*.rs"}),
        assurance=Assurance.HIGH,
    )


def booking(
    number: str,
    start: datetime.datetime,
    *,
    status: str = "booked",
    pid: str = personas.KARI.pid,
    hpr: str = personas.LARS.hpr_number,
    minutes: int = 20,
    **extra: Any,
) -> dict[str, Any]:
    """An Appointment as the GP office's record system sends it, valid R4 (the engine validates before us)."""
    resource = {
        "resourceType": "Appointment",
        "identifier": [{"system": EPJ, "value": number}],
        "status": status,
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(minutes=minutes)).isoformat(),
        "participant": [
            {"actor": {"identifier": {"system": FNR_SYSTEM, "value": pid}}, "status": "accepted"},
            {"actor": {"identifier": {"system": HPR_SYSTEM, "value": hpr}}, "status": "accepted"},
        ],
        **extra,
    }
    return validate(resource)


def write(actor: Actor, resource: dict[str, Any]) -> tuple[Appointment, Outcome]:
    assert APPOINTMENT.writer is not None
    assert APPOINTMENT.writer.create is not None
    with transaction.atomic():
        written = APPOINTMENT.writer.create(actor, resource)
    return written.row, written.outcome  # type: ignore[return-value]


def put(actor: Actor, row: Any, resource: dict[str, Any]) -> tuple[Any, Outcome]:
    assert APPOINTMENT.writer is not None
    assert APPOINTMENT.writer.update is not None
    with transaction.atomic():
        written = APPOINTMENT.writer.update(actor, row, resource)
    return written.row, written.outcome


def notices(who: personas.CitizenPersona) -> list[tuple[str, str]]:
    return list(Delivery.objects.filter(person__pid=who.pid).order_by("pk").values_list("event", "status"))


@pytest.fixture
def gp(demo: None) -> Actor:
    Person.objects.filter(pid=personas.KARI.pid).update(mobile="91234567", notify_by_sms=True)
    return system(personas.MAJORSTUEN_GP)


def visible(actor: Actor) -> set[str]:
    rows = [api.appointment(a) for a in api.appointments_in_scope(actor)]
    return {r["id"] for r in rows} | {f"request-{r.pk}" for r in api.requests_in_scope(actor)}


def test_each_unit_sees_its_own_rows_and_a_parent_never_the_youth_service(
    kari: Actor, kari_for_nora: Actor, nora_youth: Actor, lars: Actor, gp: Actor
):
    at_gp = services.request_appointment(
        kari_for_nora, unit_id=unit(personas.MAJORSTUEN_GP).pk, meeting_form="phone", phone="91234567"
    )
    youth = services.request_appointment(
        nora_youth,
        unit_id=unit(personas.SHT_OSLO).pk,
        meeting_form="physical",
        phone="91234567",
        via_youth_service=True,
    )
    karis = {write(gp, booking("K-1", at(3, 13)))[0].pk}
    school = system(personas.SHT_OSLO)
    assert visible(gp) == {str(pk) for pk in karis} | {f"request-{at_gp.pk}"}
    assert visible(school) == {f"request-{youth.pk}"}
    assert visible(system(personas.HEALTH_STATION)) == set()
    assert visible(app(personas.KARI)) == {str(pk) for pk in karis}
    # Kari's app for Nora (15): the rule table opens appointments, never the youth service's request.
    assert visible(app(personas.KARI, personas.NORA)) == {f"request-{at_gp.pk}"}
    # Nora's own app does not reach the youth services either: those are hers in the portal, with MinID.
    assert visible(app(personas.NORA)) == {f"request-{at_gp.pk}"}
    assert visible(app(personas.PER)) == set()
    assert visible(kari) == set(), "a logged-in page session is no API caller"
    # The ties: the GP office reaches Kari and Nora, the school health service Nora only.
    assert set(api.tied_by_appointments(unit(personas.MAJORSTUEN_GP).pk).values_list("person_id", flat=True)) == {
        person(personas.KARI).pk
    }
    assert set(api.tied_by_requests(unit(personas.SHT_OSLO).pk).values_list("person_id", flat=True)) == {
        person(personas.NORA).pk
    }


def test_a_record_system_books_moves_cancels_and_rebooks_one_row(gp: Actor):
    start = at(4, 13)
    created, outcome = write(gp, booking("A-1", start))
    assert outcome == Outcome.CREATED
    assert (created.person.pid, created.practitioner_hpr, created.starts_at) == (
        personas.KARI.pid,
        personas.LARS.hpr_number,
        start,
    )
    resource = validate(api.appointment(created))
    assert resource["identifier"] == [{"system": EPJ, "value": "A-1"}]
    assert resource["serviceType"][0]["coding"][0]["code"] == "gp"
    assert set(notices(personas.KARI)) == {("appointment_booked", "queued"), ("appointment_reminder", "queued")}
    # The same record again, under a new id as after an EPJ migration: the same row, nothing to tell.
    again, outcome = write(gp, booking("A-1", start, id="new-key-after-migration"))
    assert (again.pk, outcome) == (created.pk, Outcome.UNCHANGED)
    # Moved an hour: the same row, changed, and she is told.
    moved, outcome = write(gp, booking("A-1", start + datetime.timedelta(hours=1)))
    assert (moved.pk, outcome, moved.status) == (created.pk, Outcome.UPDATED, AppointmentStatus.CHANGED)
    assert ("appointment_changed", "queued") in notices(personas.KARI)
    # Cancelled and booked again in one Bundle (a re-send in an old order): she is never told "cancelled".
    with transaction.atomic():
        write(gp, booking("A-1", start + datetime.timedelta(hours=1), status="cancelled"))
        rebooked, outcome = write(gp, booking("A-1", start + datetime.timedelta(hours=1)))
    assert (rebooked.pk, outcome, rebooked.status) == (created.pk, Outcome.UPDATED, AppointmentStatus.BOOKED)
    assert ("appointment_cancelled", "cancelled") in notices(personas.KARI)
    assert ("appointment_cancelled", "queued") not in notices(personas.KARI)
    assert Appointment.objects.filter(source_value="A-1").count() == 1
    # A real cancellation is told; held afterwards by update.
    cancelled, outcome = write(gp, booking("A-1", start + datetime.timedelta(hours=1), status="cancelled"))
    assert (outcome, cancelled.status) == (Outcome.UPDATED, AppointmentStatus.CANCELLED)
    assert ("appointment_cancelled", "queued") in notices(personas.KARI)
    done, outcome = put(gp, cancelled, booking("A-1", start + datetime.timedelta(hours=1), status="fulfilled"))
    assert (outcome, done.status) == (Outcome.UPDATED, AppointmentStatus.COMPLETED)
    actions = AuditEvent.objects.filter(actor_client_id=gp.client_id, subject_id=created.person_id)
    assert list(actions.order_by("pk").values_list("action", flat=True)) == [
        "appointments:appointment:booked",
        "appointments:appointment:changed",
        "appointments:appointment:cancelled",
        "appointments:appointment:booked",
        "appointments:appointment:cancelled",
        "appointments:appointment:completed",
    ]


def test_fifty_records_sent_again_under_new_ids_make_no_duplicates(gp: Actor):
    times = [at(10 + n // 10, 12) + datetime.timedelta(minutes=20 * (n % 10)) for n in range(50)]
    first = [write(gp, booking(f"B-{n}", t, id=f"old-{n}")) for n, t in enumerate(times)]
    assert {outcome for _row, outcome in first} == {Outcome.CREATED}
    # The migrated EPJ sends everything again: new keys; a few cancelled then booked again on the way.
    for n, t in enumerate(times[:5]):
        write(gp, booking(f"B-{n}", t, status="cancelled", id=f"new-{n}"))
    second = [write(gp, booking(f"B-{n}", t, id=f"new-{n}")) for n, t in enumerate(times)]
    assert [row.pk for row, _outcome in second] == [row.pk for row, _outcome in first]
    assert [outcome for _row, outcome in second] == [Outcome.UPDATED] * 5 + [Outcome.UNCHANGED] * 45
    assert Appointment.objects.filter(source_system=EPJ).count() == 50
    assert set(Appointment.objects.filter(source_system=EPJ).values_list("status", flat=True)) == {"booked"}


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"start": "past"}, Refused, "Tiden har allerede vært"),
        ({"hpr": personas.INGRID.hpr_number}, Refused, "jobber ikke ved enheten"),
        ({"unit": personas.HEALTH_STATION.orgnr}, Refused, "sin egen enhet"),
        ({"status": "cancelled"}, Refused, "må ha status «booked»"),
        ({"status": "proposed"}, Invalid, "kan ikke brukes for en timeavtale"),
        ({"identifier": []}, Invalid, "mangler identifikator"),
        ({"patient": "Patient/per"}, Refused, "Pasienten finnes ikke"),
    ],
)
def test_the_record_system_is_told_why_a_record_is_refused(
    gp: Actor, change: dict[str, Any], error: type, message: str
):
    start = at(-1, 10) if change.get("start") == "past" else at(5, 13)
    resource = booking(
        "C-1", start, pid=change.get("pid", personas.KARI.pid), hpr=change.get("hpr", personas.LARS.hpr_number)
    )
    if "status" in change:
        resource["status"] = change["status"]
    if "identifier" in change:
        resource["identifier"] = change["identifier"]
    if "unit" in change:
        resource["supportingInformation"] = [{"identifier": {"system": ORGNR_SYSTEM, "value": change["unit"]}}]
    if "patient" in change:  # Per by our key: he is not the GP office's patient, so the key is unknown to it
        resource["participant"][0]["actor"] = {"reference": f"Patient/{person(personas.PER).pk}"}
    with pytest.raises(error, match=message):
        write(gp, resource)
    assert not Appointment.objects.filter(source_value="C-1").exists()


def test_a_patient_new_to_the_portal_is_found_in_the_register_so_the_answer_tells_nothing(gp: Actor):
    """Refusing a number nobody has used the portal with would tell any record system who uses helseportal."""
    created, outcome = write(gp, booking("N-1", at(5, 13), pid=UNKNOWN_PID))
    assert outcome == Outcome.CREATED
    assert Person.objects.get(pid=UNKNOWN_PID).pk == created.person_id  # made from the population register


def test_another_units_client_cannot_touch_the_gp_offices_time(gp: Actor):
    created, _ = write(gp, booking("D-1", at(6, 13)))
    school = system(personas.SHT_OSLO)
    # Its own identifier space: the same number at another unit is another record, and it cannot book Lars.
    with pytest.raises(Refused, match="jobber ikke ved enheten"):
        write(school, booking("D-1", at(6, 13)))
    with pytest.raises(NotFound):
        put(school, created, booking("D-1", at(6, 13), status="cancelled"))
    assert Appointment.objects.get(pk=created.pk).status == AppointmentStatus.BOOKED


def test_the_record_system_answers_requests(kari: Actor, gp: Actor):
    asked = services.request_appointment(
        kari, unit_id=unit(personas.MAJORSTUEN_GP).pk, meeting_form="video", phone="91234567", reason="Vondt i ryggen"
    )
    proposed = validate(api.request(asked))
    assert proposed["status"] == "proposed"
    assert proposed["reasonCode"] == [{"text": "Vondt i ryggen"}]
    # The EPJ books a time for it: the request is confirmed with a new appointment carrying the EPJ's number.
    answer = proposed | booking("E-1", at(7, 13)) | {"patientInstruction": "Velkommen!"}
    answer["participant"] = [*proposed["participant"], answer["participant"][1]]
    answered, outcome = put(gp, asked, validate(answer | {"id": proposed["id"]}))
    assert outcome == Outcome.UPDATED
    assert answered.status == RequestStatus.CONFIRMED
    booked = Appointment.objects.get(source_system=EPJ, source_value="E-1")
    assert (answered.appointment_id, booked.meeting_form, answered.answer) == (booked.pk, "video", "Velkommen!")
    assert answered.answered_by_name == "Lars Bakken"
    resource = validate(api.request(answered))
    assert resource["status"] == "booked"
    assert resource["patientInstruction"] == "Velkommen!"
    # The same answer again, and the appointment sent on its own under its number: nothing new.
    assert put(gp, answered, answer)[1] == Outcome.UNCHANGED
    assert write(gp, booking("E-1", at(7, 13)))[1] == Outcome.UNCHANGED
    assert AppointmentRequest.objects.get(pk=asked.pk).appointment_id == booked.pk
    # No for another request: a Norwegian default text when the EPJ sends none.
    other = services.request_appointment(
        kari, unit_id=unit(personas.MAJORSTUEN_GP).pk, meeting_form="phone", phone="91234567"
    )
    declined, outcome = put(gp, other, validate(api.request(other) | {"status": "cancelled"}))
    assert declined.status == RequestStatus.DECLINED
    assert "kan ikke gi deg time" in declined.answer
    with pytest.raises(Refused, match="allerede besvart"):
        put(gp, other, validate(api.request(other) | {"status": "pending", "comment": "Ring oss"}))
    with pytest.raises(NotFound):
        put(system(personas.HEALTH_STATION), other, validate(api.request(other) | {"status": "cancelled"}))


def test_reading_twenty_rows_costs_what_reading_one_does(gp: Actor):
    for n in range(20):
        write(gp, booking(f"F-{n}", at(12, 8) + datetime.timedelta(minutes=20 * n)))

    def search(count: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            rows = api.BOOKED.scope(gp).select_related(*api.BOOKED.select_related).order_by("starts_at")[:count]
            for row in rows:
                validate(api.BOOKED.to_fhir(row))
        return len(queries)

    assert search(1) == search(20)
    assert practitioner(personas.LARS).pk == APPOINTMENT.includes["practitioner"].key(
        Appointment.objects.filter(source_value="F-0").get()
    )
