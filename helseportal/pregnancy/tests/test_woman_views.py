"""Her own pages: starting the card, measurements with advice, symptoms, notes, sharing, and the query budget."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helseportal.access.models import AuditEvent, SharingGrant
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.testing import log_in
from helseportal.core.time import OSLO, today
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.pregnancy import services
from helseportal.pregnancy.models import OwnMeasurement, Pregnancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari(client: Client) -> Actor:
    load_demo()
    person = Person.objects.get(pid=personas.KARI.pid)
    actor = Actor(
        role=Role.CITIZEN,
        assurance=Assurance.HIGH,
        person_id=person.pk,
        subject_id=person.pk,
        display_name=person.full_name,
        subject_name=person.full_name,
    )
    log_in(client, actor)
    return actor


@pytest.fixture
def pregnancy(kari: Actor) -> Pregnancy:
    with transaction.atomic():
        return services.start_pregnancy(
            kari, subject_id=kari.person_id or 0, lmp=today() - datetime.timedelta(days=24 * 7 + 3)
        )


def test_without_a_pregnancy_she_is_offered_to_start_one(client: Client, kari: Actor):
    page = client.get("/gravid/").content.decode()
    assert "Start helsekortet" in page


@pytest.mark.dates
def test_she_starts_from_her_last_period_and_sees_week_and_days_left(client: Client, kari: Actor):
    lmp = today() - datetime.timedelta(days=11 * 7 + 2)
    response = client.post("/gravid/start/", {"lmp": lmp.isoformat(), "fetuses": "1"}, follow=True)
    html = response.content.decode()
    assert "Du er i uke 11+2" in html
    assert f"{283 - (11 * 7 + 2)} dager igjen til termin" in html
    assert AuditEvent.objects.filter(action="pregnancy:pregnancy:started").exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Fyll ut første dag i siste menstruasjon eller termindato."),
        ({"lmp": "31.02.2026"}, "Skriv datoen som dd.mm.åååå."),
        ({"lmp": (today() + datetime.timedelta(days=1)).isoformat()}, "ikke fram i tid"),
        ({"lmp": today().isoformat(), "due_date": today().isoformat()}, "Fyll ut bare én av datoene."),
    ],
)
def test_a_bad_start_gets_a_norwegian_answer_and_saves_nothing(client: Client, kari: Actor, data, error):
    response = client.post("/gravid/start/", {"fetuses": "1", **data})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Pregnancy.objects.exists()


def measure(client: Client, **data: str):
    now = datetime.datetime.now(OSLO)
    return client.post("/gravid/malinger/", {"date": now.date().isoformat(), "time": "08:00", **data}, follow=True)


@pytest.mark.dates
def test_two_blood_pressures_of_145_95_advise_contacting_the_midwife(client: Client, pregnancy: Pregnancy):
    first = measure(client, kind="bp", systolic="145", diastolic="95").content.decode()
    assert "mål blodtrykket på nytt" in first
    assert "Kontakt jordmor eller fastlege" not in first
    second = measure(client, kind="bp", systolic="145", diastolic="95").content.decode()
    assert "Kontakt jordmor eller fastlege for oppfølging" in second
    assert "IS-2735" in second


def test_a_blood_pressure_of_160_110_advises_contact_now(client: Client, pregnancy: Pregnancy):
    html = measure(client, kind="bp", systolic="160", diastolic="100").content.decode()
    assert "Kontakt fødeavdelingen, fastlegen eller legevakten nå" in html
    assert 'data-color="danger"' in html


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"kind": "bp", "systolic": "300", "diastolic": "90"}, "mmHg"),
        ({"kind": "bp", "systolic": "120", "diastolic": ""}, "Fyll ut begge blodtrykkstallene."),
        ({"kind": "weight", "value": "abc"}, "Skriv et tall"),
        ({"kind": "weight", "value": "400"}, "kg"),
        ({"kind": "glucose", "value": "0,2"}, "mmol/L"),
    ],
)
def test_implausible_measurements_are_refused_in_norwegian(client: Client, pregnancy: Pregnancy, data, field_error):
    response = measure(client, **data)
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not OwnMeasurement.objects.exists()


def test_reduced_fetal_movements_point_to_the_birth_unit_with_its_phone(client: Client, pregnancy: Pregnancy):
    html = client.post(
        "/gravid/symptomer/",
        {"kind": "reduced_fetal_movements", "severity": "moderate", "date": today().isoformat()},
        follow=True,
    ).content.decode()
    assert "fødeavdelingen" in html
    assert personas.BIRTH_UNIT.phone in html


def test_notes_are_written_and_ticked_off(client: Client, pregnancy: Pregnancy):
    client.post("/gravid/huskelapp/", {"text": "Spørre om jern"})
    note = pregnancy.notes.get()
    client.post(f"/gravid/huskelapp/{note.pk}/", {"done": "1"})
    note.refresh_from_db()
    assert note.done


@pytest.mark.dates
def test_she_shares_with_mette_by_name_and_hpr_and_can_stop_it(client: Client, pregnancy: Pregnancy):
    valid_to = (today() + datetime.timedelta(days=100)).isoformat()
    response = client.post(
        "/gravid/deling/",
        {
            "target": "practitioner",
            "family_name": "Berg",
            "hpr_number": personas.METTE.hpr_number,
            "permission": "read_write",
            "valid_to": valid_to,
        },
        follow=True,
    )
    assert "Mette Berg (HPR 9144889)" in response.content.decode()
    grant = SharingGrant.objects.get()
    client.post(f"/gravid/deling/{grant.pk}/stopp/")
    grant.refresh_from_db()
    assert grant.revoked_at is not None


def test_per_cannot_stop_karis_sharing(client: Client, pregnancy: Pregnancy, kari: Actor):
    with transaction.atomic():
        from helseportal.access import sharing

        grant = sharing.share_with_practitioner(
            kari,
            area="pregnancy",
            hpr_number=personas.METTE.hpr_number,
            family_name="Berg",
            permission="read",
            valid_to=today(),
        )
    per = Person.objects.get(pid=personas.PER.pid)
    log_in(client, Actor(role=Role.CITIZEN, assurance=Assurance.HIGH, person_id=per.pk, subject_id=per.pk))
    assert client.post(f"/gravid/deling/{grant.pk}/stopp/").status_code == 404


def test_per_sees_no_pregnancy_of_karis(client: Client, pregnancy: Pregnancy):
    per = Person.objects.get(pid=personas.PER.pid)
    log_in(client, Actor(role=Role.CITIZEN, assurance=Assurance.HIGH, person_id=per.pk, subject_id=per.pk))
    assert "Start helsekortet" in client.get("/gravid/").content.decode()
    assert client.get("/gravid/historikk/").status_code == 404


def add_entries(kari: Actor, pregnancy: Pregnancy, n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            at = datetime.datetime.now(OSLO) - datetime.timedelta(hours=i + 1)
            services.add_own_measurement(kari, pregnancy, kind="bp", measured_at=at, systolic=120, diastolic=80)
            services.add_own_measurement(kari, pregnancy, kind="weight", measured_at=at, value=Decimal("70.0"))
            services.add_symptom(kari, pregnancy, date=today(), kind="fatigue", severity="mild", note="")


@pytest.mark.parametrize("path", ["/gravid/", "/gravid/historikk/", "/gravid/malinger/", "/gravid/helsekort/"])
def test_queries_per_page_do_not_grow_with_the_number_of_entries(client: Client, kari: Actor, pregnancy, path):
    add_entries(kari, pregnancy, 2)
    client.get(path)  # warm caches (content lookups, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    add_entries(kari, pregnancy, 20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few)


def test_she_cannot_mark_the_midwifes_entry_as_in_error(client: Client, kari: Actor, pregnancy: Pregnancy):
    from helseportal.identity.models import Practitioner

    mette = Practitioner.objects.get(hpr_number=personas.METTE.hpr_number)
    midwife = Actor(
        role=Role.PRACTITIONER,
        assurance=Assurance.HIGH,
        practitioner_id=mette.pk,
        hpr_number=mette.hpr_number,
        display_name=mette.full_name,
    )
    with transaction.atomic():
        from helseportal.access import sharing

        sharing.share_with_practitioner(
            kari,
            area="pregnancy",
            hpr_number=mette.hpr_number,
            family_name="Berg",
            permission="read_write",
            valid_to=today(),
        )
        consultation = services.add_consultation(midwife, pregnancy, date=today(), systolic=120, diastolic=80)
    response = client.post(f"/gravid/feilregistrert/kontroll/{consultation.pk}/")
    assert response.status_code == 404
    consultation.refresh_from_db()
    assert not consultation.in_error


def test_a_submitted_first_form_cannot_be_sent_again(kari: Actor, pregnancy: Pregnancy):
    with transaction.atomic():
        services.save_first_form(kari, pregnancy, {"mother": {"occupation": "Lærer"}}, submit=True)
    with pytest.raises(services.Refused), transaction.atomic():
        services.save_first_form(kari, pregnancy, {"mother": {"occupation": "Lege"}}, submit=True)


def test_the_first_form_keeps_the_other_fields_of_a_section(kari: Actor, pregnancy: Pregnancy):
    with transaction.atomic():
        services.write_section(kari, pregnancy, "lifestyle", {"tobacco_week36": "no"})
        services.save_first_form(kari, pregnancy, {"lifestyle": {"tobacco_first": "stopped"}}, submit=True)
    latest = pregnancy.sections.filter(section="lifestyle").order_by("-recorded_at", "-pk").first()
    assert latest.data == {"tobacco_week36": "no", "tobacco_first": "stopped"}


def test_a_denied_read_is_audited_and_answers_404(client: Client, pregnancy: Pregnancy):
    from helseportal.identity.models import Practitioner

    lars = Practitioner.objects.get(hpr_number=personas.LARS.hpr_number)
    log_in(
        client,
        Actor(
            role=Role.PRACTITIONER,
            assurance=Assurance.HIGH,
            practitioner_id=lars.pk,
            hpr_number=lars.hpr_number,
            display_name=lars.full_name,
        ),
    )
    assert client.get(f"/helsepersonell/gravid/{pregnancy.pk}/").status_code == 404
    denied = AuditEvent.objects.get(outcome="denied", actor_hpr_number=personas.LARS.hpr_number)
    assert denied.subject_id == pregnancy.person_id
    assert denied.reason == "no_grant"


@pytest.mark.dates
def test_each_measurement_shows_the_week_she_measured_it_in(client: Client, pregnancy: Pregnancy):
    now = datetime.datetime.now(OSLO)
    three_weeks_ago = (now - datetime.timedelta(days=21)).date()
    client.post(
        "/gravid/malinger/", {"date": three_weeks_ago.isoformat(), "time": "08:00", "kind": "weight", "value": "70"}
    )
    measure(client, kind="weight", value="72")
    html = client.get("/gravid/malinger/").content.decode()
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    # Started at 24+3 today: today's row is week 24+3, the one three weeks ago 21+3, newest first.
    assert table.index("24+3") < table.index("21+3")
