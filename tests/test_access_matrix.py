"""The access matrix (issue 15): every route with a record id, for every persona and acting-for choice, answers 404
for another person's record and for one that does not exist (or sends to the login, for a route not at its level).

Generated, not listed: the routes come from walking the URLconf (every pattern with an `<id:…>` argument at level
high, substantial or practitioner), and FOREIGN below says, for each of them, which records are *not* the actor's
to reach. A new route with an id that FOREIGN does not know fails `test_every_route_with_an_id_is_in_the_matrix`.
The records are real: the demo loader's personas and their data (Kari's pregnancy shared with Mette, her GP thread
and times, Nora's youth time with Ingrid), plus an outsider, Eva, with one record of every kind, made through the
same services (she is not a persona: she is the "someone else" nobody in the matrix may reach).

Each case is tried with GET and with POST. A method the route never serves answers 405 for the missing record too,
so a 405 tells nothing (it is decided before the record is looked up: one foreign record is asked to show it, not
all); anything else than 404, 405 or the login redirect fails. The count is printed at the end.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from helseportal.access import sharing
from helseportal.access.models import PowerOfAttorney, SharingGrant
from helseportal.access.queries import Choice
from helseportal.appointments import services as appointment_services
from helseportal.appointments.models import Appointment, AppointmentRequest, FreeTime
from helseportal.content.models import Notice, StaffMember, UnitPage
from helseportal.content.services import StaffFields, add_staff, create_notice
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.errors import NotFound
from helseportal.core.ids import synthetic_fnr
from helseportal.core.routes import Level, route_level
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo import pregnancy as demo_pregnancy
from helseportal.demo.appointments import load_appointments
from helseportal.demo.content_units import load_unit_pages
from helseportal.demo.forms import load_forms
from helseportal.demo.loader import load_demo
from helseportal.demo.messaging import load_messaging
from helseportal.demo.offerings import load_offerings
from helseportal.demo.records import load_records
from helseportal.forms import publishing
from helseportal.forms import queries as forms_queries
from helseportal.forms import services as forms_services
from helseportal.forms.models import Form, FormResponse
from helseportal.forms.tests.conftest import NURSE_FORM
from helseportal.identity.models import ParentalResponsibility, Person, Practitioner
from helseportal.messaging import services as messaging
from helseportal.messaging.models import Attachment, Thread
from helseportal.organisations.models import Membership, Unit
from helseportal.organisations.models import Role as UnitRole
from helseportal.pregnancy import services as pregnancy_services
from helseportal.pregnancy.models import Note, Pregnancy
from helseportal.pregnancy.services import CORRECTABLE
from helseportal.records.models import Record
from helseportal.smart import services as smart_services
from helseportal.smart.models import Connection
from helseportal.travel import services as travel_services
from helseportal.travel.models import TravelClaim
from tests.test_routes import walk

MISSING = 999_999_999  # an id no table here reaches
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
LEVELS = (Level.HIGH, Level.SUBSTANTIAL, Level.PRACTITIONER)
Kwargs = dict[str, Any]


# --- The routes ----------------------------------------------------------------------------------------------------


def id_routes() -> dict[str, tuple[str, Level]]:
    """Every route with an `<id:…>` argument at a personal level: its URL name, its pattern and its level."""
    found: dict[str, tuple[str, Level]] = {}
    for route, pattern, app in walk(get_resolver().url_patterns):
        level = route_level(pattern.callback, app)
        if "<id:" in route and level in LEVELS:
            assert isinstance(pattern, URLPattern)
            found[f"{app}:{pattern.name}"] = (route, level)
    return found


ROUTES = id_routes()


# --- The data ------------------------------------------------------------------------------------------------------


@dataclass
class World:
    """The records in the database, and whose each is (a person key, or a unit key for a unit's own records)."""

    persons: dict[str, int] = field(default_factory=dict)  # persona key (and "eva", "trond") → Person pk
    units: dict[str, int] = field(default_factory=dict)  # unit persona key → Unit pk
    shared_with: dict[int, set[int]] = field(default_factory=dict)  # pregnancy pk → practitioner pks it is shared with


def build_world(media: Path) -> World:
    """The demo, Nora's youth time, Ola's thread, a power from Kari to Per, and Eva with a record of every kind."""
    load_demo()
    demo_pregnancy.load_pregnancy()
    load_appointments()
    load_messaging()
    load_unit_pages()
    world = World(
        persons={p.key: Person.objects.get(pid=p.pid).pk for p in personas.CITIZENS},
        units={u.key: Unit.objects.get(orgnr=u.orgnr).pk for u in personas.UNITS},
    )
    _noras_youth_time(world)
    _olas_thread(world)
    PowerOfAttorney.objects.create(
        giver_id=world.persons["kari"], receiver_id=world.persons["per"], area="all", valid_from=today()
    )
    _outsiders(world)
    _forms_sent_and_uploaded()
    load_records()  # the record services' demo records, sent through the FHIR API
    for grant in SharingGrant.objects.filter(revoked_at__isnull=True, practitioner__isnull=False):
        for pregnancy in Pregnancy.objects.filter(person_id=grant.person_id):
            world.shared_with.setdefault(pregnancy.pk, set()).add(grant.practitioner_id or 0)
    return world


def _noras_youth_time(world: World) -> None:
    nora = Person.objects.get(pk=world.persons["nora"])
    youth = actors.of_person(nora, Assurance.SUBSTANTIAL).acting_for(nora.pk, Role.YOUTH)
    request = appointment_services.request_appointment(
        youth,
        unit_id=world.units["sht_oslo"],
        meeting_form="phone",
        phone="91234567",
        reason="Et spørsmål",
        via_youth_service=True,
    )
    free = FreeTime.objects.filter(unit_id=world.units["sht_oslo"], starts_at__gt=timezone.now()).order_by("starts_at")
    ingrid = actors.clinician(personas.INGRID, personas.SHT_OSLO)
    appointment_services.answer_request(ingrid, request.pk, meeting_form="phone", free_time_id=free[0].pk)


def _forms_sent_and_uploaded() -> None:
    """Kari's triage form sent to the GP office, and a draft form the school nurse uploaded (issue 17); the GP
    office's e-consultation (Fastlegetjenester, open only to those whose GP office it is)."""
    load_forms()
    load_offerings()
    kari, triage = actors.citizen(personas.KARI), Form.objects.get(url__endswith="symptomsjekk-luftveier")
    forms_services.start(kari, triage.pk)
    answers = {"pustebesvaer": [{"valueBoolean": False}], "dager": [{"valueInteger": 1}]}
    forms_services.save_step(kari, triage.pk, 1, answers, list(answers))
    forms_services.submit(kari, triage.pk)
    ingrid = actors.clinician(personas.INGRID, personas.SHT_OSLO)
    publishing.upload(ingrid, NURSE_FORM)


def _olas_thread(world: World) -> None:
    kari_for_ola = actors.citizen(personas.KARI).acting_for(world.persons["ola"], Role.PARENT)
    messaging.start_thread(kari_for_ola, unit_id=world.units["gp_office"], subject="Ola har feber", body="Hei.")


def _outsiders(world: World) -> None:
    """Eva (34) and Trond: not personas, not related to anyone in the matrix. Olav works where no persona does."""
    eva = _adult("Eva", 34, "Utenfor")
    trond = _adult("Trond", 40, "Utenfor")
    world.persons |= {"eva": eva.pk, "trond": trond.pk}
    olav = _olav()
    me = actors.of_person(eva)
    PowerOfAttorney.objects.create(giver=eva, receiver=trond, area="appointments", valid_from=today())
    _evas_pregnancy(me, olav)
    _evas_app(me, eva)
    thread = messaging.start_thread(
        me,
        unit_id=world.units["hospital"],
        subject="Innkalling",
        body="Hei.",
        uploads=[SimpleUploadedFile("brev.pdf", PDF, content_type="application/pdf")],
    )
    messaging.reply(me, thread.pk, body="Takk.")
    _evas_gp_time(me, world)
    _olavs_unit_page(olav, world)
    _travel_claims(me)


def _travel_claims(eva: Actor) -> None:
    """Eva's travel claim and Kari's, at the demo's patient travel office (issue 12 item 5)."""
    from helseportal.demo.travel import response

    answers = {
        "trip.date": today() - datetime.timedelta(days=5),
        "trip.place": "Oslo sykehus",
        "trip.from": "Hjemme",
        "trip.round": True,
        "trip.kind": ("kind", "standard"),
        "standard.km": 80,
        "standard.transport": ("transport", "car"),
    }
    travel_services.receive(eva, response(answers))
    travel_services.receive(actors.citizen(personas.KARI), response(answers))


def _adult(given_name: str, age: int, family_name: str) -> Person:
    born = today().replace(month=1, day=15, year=today().year - age)
    return Person.objects.create(
        pid=synthetic_fnr(born, 920),
        given_name=given_name,
        family_name=family_name,
        street_address="Utkanten 1",
        postcode="5013",
        post_place="Bergen",
    )


def _olav() -> Actor:
    """A midwife at the hospital and editor of the Bergen school health service's page: no persona's units."""
    olav = Practitioner.objects.create(hpr_number="9876543", given_name="Olav", family_name="Utenfor")
    Membership.objects.create(practitioner=olav, unit=Unit.objects.get(orgnr=personas.HOSPITAL.orgnr), role="clinician")
    sht_bergen = Unit.objects.get(orgnr=personas.SHT_BERGEN.orgnr)
    Membership.objects.create(practitioner=olav, unit=sht_bergen, role=UnitRole.EDITOR)
    return actors.clinician(
        personas.PractitionerPersona("olav", "9876543", "", "Olav", "Utenfor", "Jordmor"), personas.HOSPITAL
    )


def _evas_pregnancy(eva: Actor, olav: Actor) -> None:
    """Her card with an entry of every kind, shared with Olav only, written the way the demo writes Kari's."""
    due = today() + datetime.timedelta(days=280 - demo_pregnancy.GA_TODAY)
    card = pregnancy_services.start_pregnancy(eva, subject_id=eva.own_person_id, lmp=due - datetime.timedelta(days=282))
    sharing.share_with_practitioner(
        eva,
        area="pregnancy",
        hpr_number="9876543",
        family_name="Utenfor",
        permission="read_write",
        valid_to=due + datetime.timedelta(days=60),
    )
    demo_pregnancy._consultations(olav, card, due)  # the demo's own writers, so every kind of entry is there
    demo_pregnancy._symptoms_and_measurements(eva, card, due)


def _evas_app(me: Actor, eva: Person) -> None:
    """An app Eva connected (SMART App Launch): only she may disconnect it."""
    app = smart_services.register_client(
        smart_services.Registration(
            name="Evas app",
            kind="app",
            scopes=("patient/*.rs",),
            redirect_uris=("https://app.example/cb",),
            public=True,
        )
    )
    smart_services.connect(me, client=app, choice=Choice(eva, Role.CITIZEN, "self"), scope="patient/*.rs")


def _evas_gp_time(eva: Actor, world: World) -> None:
    request = appointment_services.request_appointment(
        eva, unit_id=world.units["gp_office"], meeting_form="phone", phone="91234567", reason="Kontroll"
    )
    lars = actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)
    slot = FreeTime.objects.filter(unit_id=world.units["gp_office"], starts_at__gt=timezone.now()).order_by(
        "-starts_at"
    )
    appointment_services.answer_request(lars, request.pk, meeting_form="phone", free_time_id=slot[0].pk)


def _olavs_unit_page(olav: Actor, world: World) -> None:
    editor = dataclasses.replace(olav, unit_id=world.units["sht_bergen"])
    add_staff(editor, StaffFields(name="Olav Utenfor", role="Helsesykepleier", grades="", hpr_number=""))
    create_notice(
        editor,
        title="Vaksinering",
        school_id=world.units["school_bergen"],
        grades=[8],
        text="Vi kommer tirsdag.",
        sender="Helsesykepleier",
    )


# --- Who is tried --------------------------------------------------------------------------------------------------


def who_is_tried(world: World) -> dict[str, Actor]:
    """Every persona and acting-for choice: what a login and the person or unit picker can make of them."""
    citizen = actors.citizen
    kari = citizen(personas.KARI)
    nora = Person.objects.get(pk=world.persons["nora"])
    return {
        "anonymous": Actor(),
        "Kari as herself": kari,
        "Kari for Ola": kari.acting_for(world.persons["ola"], Role.PARENT),
        "Kari for Nora": kari.acting_for(world.persons["nora"], Role.PARENT),
        "Kari with MinID": citizen(personas.KARI, Assurance.SUBSTANTIAL),
        "Nora with MinID": actors.of_person(nora, Assurance.SUBSTANTIAL).acting_for(nora.pk, Role.YOUTH),
        "Nora with BankID": actors.of_person(nora),
        "Per as himself": citizen(personas.PER),
        "Per for Kari (fullmakt)": citizen(personas.PER).acting_for(world.persons["kari"], Role.PROXY),
        "Mette at the health station": actors.clinician(personas.METTE, personas.HEALTH_STATION),
        "Mette with no unit chosen": actors.clinician(personas.METTE),
        "Lars at the GP office": actors.clinician(personas.LARS, personas.MAJORSTUEN_GP),
        "Ingrid at the school health service": actors.clinician(personas.INGRID, personas.SHT_OSLO),
        "Ingrid at the youth health station": actors.clinician(personas.INGRID, personas.HFU_OSLO),
        "Siv at the patient travel office": actors.case_officer(personas.SIV, personas.TRAVEL_OFFICE),
    }


# --- What is not theirs: per route, the records the actor must not reach ----------------------------------------


def _not_subjects(actor: Actor, rows: Iterator[tuple[int, Kwargs]]) -> list[Kwargs]:
    """A citizen route reaches only the person acted for: every other person's record is foreign."""
    return [kwargs for owner, kwargs in rows if owner != actor.subject_id]


def _not_at_unit(actor: Actor, rows: Iterator[tuple[int, Kwargs]]) -> list[Kwargs]:
    """A staff route reaches only the unit the practitioner acts for (and works at as a clinician)."""
    works_there = Membership.objects.filter(
        practitioner_id=actor.practitioner_id, unit_id=actor.unit_id, role=UnitRole.CLINICIAN
    ).exists()
    return [kwargs for unit, kwargs in rows if not (works_there and unit == actor.unit_id)]


def _not_edited(actor: Actor, rows: Iterator[tuple[int, Kwargs]]) -> list[Kwargs]:
    edits_there = Membership.objects.filter(
        practitioner_id=actor.practitioner_id, unit_id=actor.unit_id, role=UnitRole.EDITOR
    ).exists()
    return [kwargs for unit, kwargs in rows if not (edits_there and unit == actor.unit_id)]


def _powers(actor: Actor, world: World) -> list[Kwargs]:
    rows = PowerOfAttorney.objects.values_list("pk", "giver_id", "receiver_id")
    mine = actor.person_id if not actor.acts_for_other else None
    return [{"poa_id": pk} for pk, giver, receiver in rows if mine not in (giver, receiver)]


def _not_her_children(actor: Actor, world: World) -> list[Kwargs]:
    """Youth access is given for one's own child: every other person (and, while she acts for someone, everyone)."""
    mine = ParentalResponsibility.objects.filter(parent_id=actor.person_id).values_list("child_id", flat=True)
    hers = set() if actor.acts_for_other else set(mine)
    return [{"child_id": pk} for pk in world.persons.values() if pk not in hers]


def _connections(actor: Actor, world: World) -> list[Kwargs]:
    """Apps connected by someone else (her own are hers to disconnect, also when she acts for another)."""
    return [
        {"connection_id": pk}
        for pk in Connection.objects.exclude(person_id=actor.person_id).values_list("pk", flat=True)
    ]


def _appointments(actor: Actor, world: World) -> list[Kwargs]:
    rows = Appointment.objects.values_list("person_id", "pk")
    return _not_subjects(actor, ((owner, {"appointment_id": pk}) for owner, pk in rows))


def _records_of(resource_type: str, argument: str) -> Callable[[Actor, World], list[Kwargs]]:
    def foreign(actor: Actor, world: World) -> list[Kwargs]:
        rows = Record.objects.filter(resource_type=resource_type).values_list("person_id", "pk")
        return _not_subjects(actor, ((owner, {argument: pk}) for owner, pk in rows))

    return foreign


def _notes(actor: Actor, world: World) -> list[Kwargs]:
    rows = Note.objects.values_list("person_id", "pk")
    return _not_subjects(actor, ((owner, {"note_id": pk}) for owner, pk in rows))


def _grants(actor: Actor, world: World) -> list[Kwargs]:
    rows = SharingGrant.objects.values_list("person_id", "pk")
    return _not_subjects(actor, ((owner, {"grant_id": pk}) for owner, pk in rows))


def _entries() -> Iterator[tuple[int, int, Kwargs]]:
    """(owner, pregnancy, kwargs) for one entry of every correctable kind on every card."""
    for kind, model in CORRECTABLE.items():
        for pregnancy_id, owner, pk in model._default_manager.values_list("pregnancy_id", "person_id", "pk"):
            yield owner, pregnancy_id, {"kind": kind, "entry_id": pk}


def _her_entries(actor: Actor, world: World) -> list[Kwargs]:
    return _not_subjects(actor, ((owner, kwargs) for owner, _p, kwargs in _entries()))


def _threads(actor: Actor, world: World) -> list[Kwargs]:
    rows = Thread.objects.values_list("person_id", "pk")
    return _not_subjects(actor, ((owner, {"thread_id": pk}) for owner, pk in rows))


def _attachments(actor: Actor, world: World) -> list[Kwargs]:
    rows = Attachment.objects.values_list("message__thread__person_id", "pk")
    return _not_subjects(actor, ((owner, {"attachment_id": pk}) for owner, pk in rows))


def _unshared(actor: Actor, world: World) -> list[int]:
    """Cards not shared with this practitioner by name (the demo shares no card with a unit)."""
    return [
        pk
        for pk in Pregnancy.objects.values_list("pk", flat=True)
        if actor.practitioner_id not in world.shared_with.get(pk, set())
    ]


def _cards(actor: Actor, world: World) -> list[Kwargs]:
    return [{"pregnancy_id": pk} for pk in _unshared(actor, world)]


def _card_sections(actor: Actor, world: World) -> list[Kwargs]:
    return [{"pregnancy_id": pk, "section": "mother"} for pk in _unshared(actor, world)]


def _card_entries(actor: Actor, world: World) -> list[Kwargs]:
    """Entries on cards not shared with her, and other cards' entries under a card that is shared with her."""
    unshared = set(_unshared(actor, world))
    shared = [pk for pk in Pregnancy.objects.values_list("pk", flat=True) if pk not in unshared]
    found = [{"pregnancy_id": p, **kwargs} for _o, p, kwargs in _entries() if p in unshared]
    for card in shared:
        found += [{"pregnancy_id": card, **kwargs} for _o, p, kwargs in _entries() if p != card]
    return found


def _persons_unshared(actor: Actor, world: World) -> list[Kwargs]:
    shared_persons = {
        Pregnancy.objects.get(pk=p).person_id for p, who in world.shared_with.items() if actor.practitioner_id in who
    }
    return [{"person_id": pk} for pk in world.persons.values() if pk not in shared_persons]


def _requests_elsewhere(actor: Actor, world: World) -> list[Kwargs]:
    rows = AppointmentRequest.objects.values_list("unit_id", "pk")
    return _not_at_unit(actor, ((unit, {"request_id": pk}) for unit, pk in rows))


def _appointments_elsewhere(actor: Actor, world: World) -> list[Kwargs]:
    rows = Appointment.objects.values_list("unit_id", "pk")
    return _not_at_unit(actor, ((unit, {"appointment_id": pk}) for unit, pk in rows))


def _colleagues_elsewhere(actor: Actor, world: World) -> list[Kwargs]:
    at_unit = set(
        Membership.objects.filter(unit_id=actor.unit_id, role=UnitRole.CLINICIAN).values_list(
            "practitioner_id", flat=True
        )
    )
    works_there = actor.practitioner_id in at_unit
    return [
        {"practitioner_id": pk}
        for pk in Practitioner.objects.values_list("pk", flat=True)
        if not (works_there and pk in at_unit)
    ]


def _threads_elsewhere(actor: Actor, world: World) -> list[Kwargs]:
    rows = Thread.objects.values_list("unit_id", "pk")
    return _not_at_unit(actor, ((unit, {"thread_id": pk}) for unit, pk in rows))


def _attachments_elsewhere(actor: Actor, world: World) -> list[Kwargs]:
    rows = Attachment.objects.values_list("message__thread__unit_id", "pk")
    return _not_at_unit(actor, ((unit, {"attachment_id": pk}) for unit, pk in rows))


def _staff_elsewhere(actor: Actor, world: World) -> list[Kwargs]:
    units = dict(UnitPage.objects.values_list("pk", "unit_id"))
    rows = StaffMember.objects.values_list("page_id", "pk")
    return _not_edited(actor, ((units.get(page, 0), {"staff_id": pk}) for page, pk in rows))


def _notices_elsewhere(actor: Actor, world: World) -> list[Kwargs]:
    found = []
    for page in UnitPage.objects.all():
        notices = Notice.objects.child_of(page).values_list("pk", flat=True)
        found += [(page.unit_id, {"notice_id": pk}) for pk in notices]
    return _not_edited(actor, iter(found))


def _form_responses(actor: Actor, world: World) -> list[Kwargs]:
    rows = FormResponse.objects.values_list("person_id", "pk")
    return _not_subjects(actor, ((owner, {"response_id": pk}) for owner, pk in rows))


def _form_responses_elsewhere(actor: Actor, world: World) -> list[Kwargs]:
    rows = FormResponse.objects.values_list("unit_id", "pk")
    return _not_at_unit(actor, ((unit, {"response_id": pk}) for unit, pk in rows))


def _forms_not_offered(actor: Actor, world: World) -> list[Kwargs]:
    """Forms the person acted for may not fill in: a draft, another school's health service's, a domain's own form
    that its owner does not open to her (`fhir.questionnaires`: Pasientreiser's claim is open without being listed)."""
    return [{"form_id": pk} for pk in Form.objects.values_list("pk", flat=True) if not _may_fill_in(actor, pk)]


def _may_fill_in(actor: Actor, form_id: int) -> bool:
    try:
        forms_queries.form_for(actor, form_id)
    except NotFound:
        return False
    return True


def _travel_claims_of_others(actor: Actor, world: World) -> list[Kwargs]:
    rows = TravelClaim.objects.values_list("person_id", "pk")
    return _not_subjects(actor, ((owner, {"claim_id": pk}) for owner, pk in rows))


def _travel_claims_elsewhere(actor: Actor, world: World) -> list[Kwargs]:
    """A claim is the case officers' of the office it was sent to (the role `case_officer`, not a clinician's)."""
    officer_there = Membership.objects.filter(
        practitioner_id=actor.practitioner_id, unit_id=actor.unit_id, role=UnitRole.CASE_OFFICER
    ).exists()
    rows = TravelClaim.objects.values_list("office_id", "pk")
    return [{"claim_id": pk} for unit, pk in rows if not (officer_there and unit == actor.unit_id)]


def _forms_elsewhere(actor: Actor, world: World) -> list[Kwargs]:
    rows = Form.objects.values_list("unit_id", "pk")
    return _not_edited(actor, ((unit, {"form_id": pk}) for unit, pk in rows))


FOREIGN: dict[str, Callable[[Actor, World], list[Kwargs]]] = {
    "access:revoke_power": _powers,
    "access:give_youth_access": _not_her_children,
    "access:withdraw_youth_access": _not_her_children,
    "smart:disconnect": _connections,
    "youth:cancel": _appointments,
    "youth:ics": _appointments,
    "pregnancy:tick_note": _notes,
    "pregnancy:revoke_grant": _grants,
    "pregnancy:mark_in_error": _her_entries,
    "pregnancy:practitioner_start": _persons_unshared,
    "pregnancy:practitioner_card": _cards,
    "pregnancy:add_consultation": _cards,
    "pregnancy:add_sf": _cards,
    "pregnancy:add_test": _cards,
    "pregnancy:practitioner_section": _card_sections,
    "pregnancy:set_due_date": _cards,
    "pregnancy:end_pregnancy": _cards,
    "pregnancy:practitioner_mark_in_error": _card_entries,
    "pregnancy:practitioner_pdf": _cards,
    "pregnancy:add_ultrasound": _cards,
    "pregnancy:add_nipt": _cards,
    "pregnancy:correct_due_date": _cards,
    "pregnancy:add_birth_outcome": _cards,
    "pregnancy:practitioner_vaccination": _cards,
    "pregnancy:practitioner_earlier_birth": _cards,
    "appointments:detail": _appointments,
    "appointments:cancel": _appointments,
    "appointments:ics": _appointments,
    "appointments:answer": _requests_elsewhere,
    "appointments:calendar": _colleagues_elsewhere,
    "appointments:staff_reschedule": _appointments_elsewhere,
    "appointments:staff_complete": _appointments_elsewhere,
    "appointments:staff_cancel": _appointments_elsewhere,
    "messaging:thread": _threads,
    "messaging:attachment": _attachments,
    "messaging:staff_thread": _threads_elsewhere,
    "messaging:staff_assign": _threads_elsewhere,
    "messaging:staff_close": _threads_elsewhere,
    "messaging:staff_attachment": _attachments_elsewhere,
    "content_staff:edit_staff": _staff_elsewhere,
    "content_staff:remove_staff": _staff_elsewhere,
    "content_staff:withdraw_notice": _notices_elsewhere,
    "forms:start": _forms_not_offered,
    "forms:step": _forms_not_offered,
    "forms:summary": _forms_not_offered,
    "forms:response": _form_responses,
    "forms:response_pdf": _form_responses,
    "forms:staff_response": _form_responses_elsewhere,
    "forms:staff_response_pdf": _form_responses_elsewhere,
    "forms:staff_attachment": lambda actor, world: [k | {"number": 1} for k in _form_responses_elsewhere(actor, world)],
    "forms:staff_form": _forms_elsewhere,
    "records:result": _records_of("Observation", "record_id"),
    "records:results_analysis": _records_of("Observation", "record_id"),
    "records:referral": _records_of("ServiceRequest", "pk"),
    "records:prescription": _records_of("MedicationRequest", "pk"),
    "records:prescription_renewal": _records_of("MedicationRequest", "pk"),
    "records:journal_document": _records_of("DocumentReference", "pk"),
    "records:journal_file": _records_of("DocumentReference", "pk"),
    "records:journal_download": _records_of("DocumentReference", "pk"),
    "forms:staff_form_submit": _forms_elsewhere,
    "forms:staff_form_retire": _forms_elsewhere,
    "travel:detail": _travel_claims_of_others,
    "travel:complain": _travel_claims_of_others,
    "travel:staff_claim": _travel_claims_elsewhere,
    "travel:staff_take": _travel_claims_elsewhere,
    "travel:staff_decide": _travel_claims_elsewhere,
    "travel:staff_pay": _travel_claims_elsewhere,
    "travel:staff_reopen": _travel_claims_elsewhere,
    "travel:staff_receipt": lambda actor, world: [k | {"number": 1} for k in _travel_claims_elsewhere(actor, world)],
}
# The non-id arguments some routes also take: a valid value, so only the id decides.
FIXED = {"kind": "maling", "section": "mother", "step": 0, "number": 1}


def missing(name: str) -> Kwargs:
    """The route's arguments with every id pointing at nothing."""
    route = ROUTES[name][0]
    kwargs: Kwargs = {}
    for part in route.split("<")[1:]:
        converter, _sep, rest = part.partition(":")
        argument = rest.split(">")[0]
        kwargs[argument] = MISSING if converter == "id" else FIXED[argument]
    return kwargs


# --- The run -------------------------------------------------------------------------------------------------------


@dataclass
class Tally:
    cases: int = 0
    routes: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)


TALLY = Tally()


class _Summary:
    """Prints the count in pytest's terminal summary, whatever the capture mode."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if TALLY.cases:
            terminalreporter.write_sep(
                "-",
                f"access matrix: {TALLY.cases} cases checked ({len(TALLY.routes)} routes with an id × "
                f"{len(TALLY.actors)} personas and acting-for choices × their foreign and missing records × GET/POST)",
            )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The data, built once for the module inside a transaction that is rolled back at the end."""
    from django.conf import settings

    media = tmp_path_factory.mktemp("media")
    previous, settings.MEDIA_ROOT = settings.MEDIA_ROOT, str(media)
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world(media)
        yield built
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = previous


@pytest.fixture(scope="module")
def clients(world: World) -> dict[str, tuple[Actor, Client]]:
    tried = {}
    for label, actor in who_is_tried(world).items():
        client = Client()
        if actor.is_authenticated:
            log_in(client, actor)
        tried[label] = (actor, client)
    return tried


def _answer(client: Client, method: str, url: str) -> tuple[int, str]:
    response = client.get(url) if method == "GET" else client.post(url)
    return response.status_code, response.get("Location", "")


def _refused(status: int, location: str) -> bool:
    return status == 404 or (status == 302 and location.startswith(("/login/", "/login/helseid/")))


def test_every_route_with_an_id_is_in_the_matrix():
    assert set(ROUTES) == set(FOREIGN), (
        f"routes with an id that the matrix does not know: {sorted(set(ROUTES) - set(FOREIGN))}; "
        f"known but gone: {sorted(set(FOREIGN) - set(ROUTES))}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_another_persons_record_and_a_missing_one_answer_404(
    name: str, world: World, clients: dict[str, tuple[Actor, Client]], request: pytest.FixtureRequest
):
    failures: list[str] = []
    served = False
    for label, (actor, client) in clients.items():
        foreign = FOREIGN[name](actor, world)
        for method in ("GET", "POST"):
            none = _answer(client, method, reverse(name, kwargs=missing(name)))
            if none[0] == 405:
                # The route does not serve this method: it said so before looking the record up (a missing one cannot
                # be found), so it says the same for every record; the first foreign one is asked to show it.
                failures += [
                    f"{label} {method} {kw}" for kw in foreign[:1] if _answer(client, method, _url(name, kw))[0] != 405
                ]
                TALLY.cases += 1 + len(foreign[:1])
                continue
            served = True
            if not _refused(*none):
                failures.append(f"{label} {method} missing → {none}")
            for kwargs in foreign:
                answer = _answer(client, method, _url(name, kwargs))
                if not _refused(*answer):
                    failures.append(f"{label} {method} {kwargs} → {answer}")
            TALLY.cases += 1 + len(foreign)
        TALLY.actors.add(label)
    TALLY.routes.add(name)
    _register_summary(request)
    assert served, f"{name} served neither GET nor POST to anyone"
    assert not failures, f"{name}: {len(failures)} answers that were not 404 or the login:\n" + "\n".join(failures)


def _url(name: str, kwargs: Kwargs) -> str:
    return reverse(name, kwargs={**missing(name), **kwargs})


def _register_summary(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if not manager.has_plugin("access-matrix-summary"):
        manager.register(_Summary(), "access-matrix-summary")


@pytest.mark.django_db
def test_the_matrix_tried_every_route_and_persona(world: World, clients: dict[str, tuple[Actor, Client]]):
    """The last test of the module: the count, also for a run with -s."""
    if TALLY.routes != set(ROUTES):
        pytest.skip("run with the whole module to count every case")
    assert TALLY.actors == set(clients)
    assert TALLY.cases > 1000
    print(f"access matrix: {TALLY.cases} cases, {len(TALLY.routes)} routes, {len(TALLY.actors)} actors")
