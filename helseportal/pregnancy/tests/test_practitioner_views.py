"""Health personnel: the worklist of shared cards, one card, and the forms, all decided by her sharing grant."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helseportal.access import sharing
from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor
from helseportal.core.ids import synthetic_fnr
from helseportal.core.time import OSLO, today
from helseportal.demo import personas
from helseportal.identity.models import Person
from helseportal.pregnancy import services
from helseportal.pregnancy.models import ClinicalTest, Consultation, Pregnancy, SectionEntry, SfMeasurement
from helseportal.pregnancy.tests.test_card_views import (
    METTE_SIGNATURE,
    citizen,
    client_for,
    clinician,
    section_text,
    share_with_mette,
    start_at,
)

pytestmark = pytest.mark.django_db

FORMS = ("add_consultation", "add_sf", "add_test", "set_due_date")


@pytest.fixture
def kari() -> Actor:
    from helseportal.demo.loader import load_demo

    load_demo()
    return citizen(Person.objects.get(pid=personas.KARI.pid))


@pytest.fixture
def mette(kari: Actor) -> Actor:
    return clinician(personas.METTE, personas.HEALTH_STATION)


@pytest.fixture
def lars(kari: Actor) -> Actor:
    return clinician(personas.LARS, personas.MAJORSTUEN_GP)


@pytest.fixture
def pregnancy(kari: Actor) -> Pregnancy:
    return start_at(kari)


@pytest.fixture
def shared(kari: Actor, pregnancy: Pregnancy) -> Pregnancy:
    share_with_mette(kari)
    return pregnancy


def consultation_form(**changes: str) -> dict[str, str]:
    form = {
        "date": today().isoformat(),
        "weight_kg": "72,5",
        "systolic": "118",
        "diastolic": "74",
        "urine_protein": "neg",
        "oedema": "0",
        "heart_rate_1": "142",
        "presentation_1": "cephalic",
        "movements_1": "yes",
        "sf_cm": "24",
        "medication": "",
        "work_percent": "100",
        "note": "Alt fint.",
    }
    return {**form, **changes}


# --- The worklist ----------------------------------------------------------------------------------------


@pytest.mark.dates
def test_mette_sees_kari_in_the_worklist_with_week_and_due_date(mette: Actor, shared: Pregnancy):
    response = client_for(mette).get(reverse("pregnancy:worklist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kari Nordmann" in html
    assert "<td>24+3</td>" in html
    assert f"{shared.due_date:%d.%m.%Y}" in html
    assert reverse("pregnancy:practitioner_card", args=[shared.pk]) in html
    assert "Konsultasjon i uke 24" in html  # the next visit in the national schedule
    event = AuditEvent.objects.get(action="pregnancy:worklist:read")
    assert event.subject_id == shared.person_id
    assert event.actor_hpr_number == personas.METTE.hpr_number


def test_a_grant_to_her_unit_puts_kari_on_the_worklist(kari: Actor, mette: Actor, pregnancy: Pregnancy):
    from helseportal.organisations.models import Unit

    station = Unit.objects.get(orgnr=personas.HEALTH_STATION.orgnr)
    with transaction.atomic():
        sharing.share_with_unit(
            kari, area="pregnancy", unit_id=station.pk, permission="read", valid_to=today() + datetime.timedelta(days=9)
        )
    assert "Kari Nordmann" in client_for(mette).get(reverse("pregnancy:worklist")).content.decode()


def test_lars_without_a_grant_has_an_empty_worklist_and_gets_404_on_the_card(lars: Actor, shared: Pregnancy):
    client = client_for(lars)
    html = client.get(reverse("pregnancy:worklist")).content.decode()
    assert "Kari Nordmann" not in html
    assert "Ingen har delt helsekortet sitt med deg" in html
    assert client.get(reverse("pregnancy:practitioner_card", args=[shared.pk])).status_code == 404
    seen = AuditEvent.objects.filter(action__in=["pregnancy:worklist:read", "pregnancy:card:read"], outcome="allowed")
    assert not seen.exists()


@pytest.mark.dates
def test_the_worklist_flags_high_blood_pressure_sf_and_reduced_fetal_movements(
    kari: Actor, mette: Actor, shared: Pregnancy
):
    now = datetime.datetime.now(tz=OSLO)
    with transaction.atomic():
        for hours in (1, 30):
            services.add_own_measurement(
                kari, shared, kind="bp", measured_at=now - datetime.timedelta(hours=hours), systolic=145, diastolic=92
            )
        services.add_symptom(kari, shared, date=today(), kind="reduced_fetal_movements", severity="moderate")
        services.add_sf(mette, shared, date=today(), cm=17)  # far below −2 SD at 24+3
    html = client_for(mette).get(reverse("pregnancy:worklist")).content.decode()
    assert "Blodtrykk 140/90 eller høyere to ganger" in html
    assert "Første SF-mål under −2 SD" in html
    assert "Mindre liv fra barnet" in html


def test_a_calm_card_has_no_flags(mette: Actor, shared: Pregnancy):
    with transaction.atomic():
        services.add_consultation(mette, shared, date=today(), systolic=118, diastolic=72)
    html = client_for(mette).get(reverse("pregnancy:worklist")).content.decode()
    assert 'data-color="danger"' not in html
    assert "Blodtrykk" not in html


def _woman(n: int) -> Actor:
    person = Person.objects.create(
        pid=synthetic_fnr(datetime.date(1990, 1, n), 400 + n), given_name=f"Kvinne{n}", family_name="Testesen"
    )
    return citizen(person)


def _worklist_queries(mette: Actor, count: int) -> tuple[int, int]:
    """Queries of one worklist request with `count` shared cards: all of them, and those besides the audit."""
    for n in range(count - Pregnancy.objects.count()):
        woman = _woman(Pregnancy.objects.count() + n + 1)
        pregnancy = start_at(woman, weeks=20 + n)
        share_with_mette(woman)
        with transaction.atomic():
            services.add_consultation(mette, pregnancy, date=today(), systolic=150, diastolic=95)
            services.add_sf(mette, pregnancy, date=today(), cm=20)
            services.add_own_measurement(
                woman, pregnancy, kind="bp", measured_at=datetime.datetime.now(tz=OSLO), systolic=141, diastolic=91
            )
            services.add_symptom(woman, pregnancy, date=today(), kind="reduced_fetal_movements", severity="mild")
    client = client_for(mette)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("pregnancy:worklist")).status_code == 200
    audit_sql = ("access_auditevent", "pg_advisory_xact_lock", "organisations_unit")
    reading = [q for q in queries.captured_queries if not any(word in q["sql"] for word in audit_sql)]
    return len(queries), len(reading)


def test_the_worklist_reads_as_many_queries_for_five_cards_as_for_one(mette: Actor):
    total_one, reading_one = _worklist_queries(mette, 1)
    total_five, reading_five = _worklist_queries(mette, 5)
    assert reading_five == reading_one
    assert AuditEvent.objects.filter(action="pregnancy:worklist:read").count() == 1 + 5
    assert total_five == total_one  # one audit record per woman, appended in bulk


# --- One card --------------------------------------------------------------------------------------------


def test_mette_sees_the_same_card_and_whether_she_may_write(kari: Actor, mette: Actor, shared: Pregnancy):
    with transaction.atomic():
        services.write_section(kari, shared, "mother", {"occupation": "Lærer"})
    html = client_for(mette).get(reverse("pregnancy:practitioner_card", args=[shared.pk])).content.decode()
    assert "Helsekort for Kari Nordmann" in html
    assert "Lese og skrive" in html
    assert "Lærer" in section_text(html, "mother")
    assert "Registrert av kvinnen selv" in section_text(html, "mother")
    assert reverse("pregnancy:add_consultation", args=[shared.pk]) in html
    assert reverse("pregnancy:practitioner_section", args=[shared.pk, "rhd"]) in html
    assert "Marker som feilregistrert" not in html  # her own words are hers to correct
    assert AuditEvent.objects.filter(action="pregnancy:card:read", actor_hpr_number="9144889").exists()


def test_a_read_only_grant_shows_the_card_but_every_form_answers_404(kari: Actor, mette: Actor, pregnancy: Pregnancy):
    share_with_mette(kari, permission="read")
    client = client_for(mette)
    html = client.get(reverse("pregnancy:practitioner_card", args=[pregnancy.pk])).content.decode()
    assert "Bare lese" in html
    assert reverse("pregnancy:add_consultation", args=[pregnancy.pk]) not in html
    urls = [reverse(f"pregnancy:{name}", args=[pregnancy.pk]) for name in FORMS]
    urls.append(reverse("pregnancy:practitioner_section", args=[pregnancy.pk, "current"]))
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, consultation_form()).status_code == 404, url
    assert not Consultation.objects.exists()
    assert not SfMeasurement.objects.exists()


def test_after_kari_revokes_the_grant_mette_gets_404(kari: Actor, mette: Actor, pregnancy: Pregnancy):
    grant = share_with_mette(kari)
    client = client_for(mette)
    url = reverse("pregnancy:practitioner_card", args=[pregnancy.pk])
    assert client.get(url).status_code == 200
    sharing.revoke(kari, grant.pk)
    assert client.get(url).status_code == 404
    assert client.get(reverse("pregnancy:add_consultation", args=[pregnancy.pk])).status_code == 404
    assert "Kari Nordmann" not in client.get(reverse("pregnancy:worklist")).content.decode()


def test_a_card_that_does_not_exist_answers_404_like_one_not_shared(mette: Actor, shared: Pregnancy):
    assert client_for(mette).get(reverse("pregnancy:practitioner_card", args=[shared.pk + 999])).status_code == 404


def test_a_citizen_is_sent_to_helseid_for_the_practitioner_pages(kari: Actor, shared: Pregnancy):
    response = client_for(kari).get(reverse("pregnancy:practitioner_card", args=[shared.pk]))
    assert response.status_code == 302
    assert reverse("identity:login_helseid") in response["Location"]


# --- The forms -------------------------------------------------------------------------------------------


@pytest.mark.dates
def test_a_consultation_with_sf_24_cm_shows_on_karis_card_as_written_by_mette(
    kari: Actor, mette: Actor, shared: Pregnancy
):
    response = client_for(mette).post(reverse("pregnancy:add_consultation", args=[shared.pk]), consultation_form())
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.fetuses == [{"n": 1, "heart_rate": 142, "presentation": "cephalic", "movements": True}]
    assert consultation.weight_kg == Decimal("72.5")
    sf = SfMeasurement.objects.get()
    assert (sf.cm, sf.date, sf.author_hpr_number) == (24, today(), "9144889")
    html = client_for(kari).get(reverse("pregnancy:card")).content.decode()
    table = html[html.index('id="card-consultations-heading"') : html.index('id="card-sf-heading"')]
    assert "118/74" in table
    assert "Hodeleie" in table
    assert "142" in table
    assert "24+3" in table
    assert METTE_SIGNATURE in table
    sf_table = html[html.index('id="card-sf-heading"') : html.index('id="card-tests-heading"')]
    assert "<td>24</td>" in sf_table
    assert METTE_SIGNATURE in sf_table


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"heart_rate_1": "300"}, "Fosterets hjertefrekvens må være mellom 60 og 240 slag i minuttet."),
        ({"date": (today() + datetime.timedelta(days=1)).isoformat()}, "Datoen kan ikke være fram i tid."),
        ({"weight_kg": "abc"}, "Skriv et tall, for eksempel 72,5."),
        ({"systolic": "80", "diastolic": "120"}, "Det øvre tallet (systolisk) må være høyere enn det nedre"),
        ({"diastolic": ""}, "Fyll ut begge blodtrykkstallene."),
        ({"sf_cm": "240"}, "SF-mål må være mellom 10 og 50 cm."),
        ({"work_percent": "150"}, "Arbeid må være mellom 0 og 100 prosent."),
    ],
)
def test_invalid_input_answers_400_with_a_norwegian_error_and_saves_nothing(
    mette: Actor, shared: Pregnancy, changes: dict[str, str], message: str
):
    response = client_for(mette).post(
        reverse("pregnancy:add_consultation", args=[shared.pk]), consultation_form(**changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Consultation.objects.exists()
    assert not SfMeasurement.objects.exists()


def test_a_fetal_heart_rate_outside_110_to_160_is_flagged_on_the_card(mette: Actor, shared: Pregnancy):
    client = client_for(mette)
    client.post(reverse("pregnancy:add_consultation", args=[shared.pk]), consultation_form(heart_rate_1="165"))
    html = client.get(reverse("pregnancy:practitioner_card", args=[shared.pk])).content.decode()
    assert "Utenfor 110–160" in html  # FIGO's normal baseline (advice.FETAL_HEART_RATE_NORMAL)


def test_twins_get_a_heart_rate_presentation_and_movements_for_each(kari: Actor, mette: Actor):
    twins = start_at(kari, fetuses=2)
    share_with_mette(kari)
    client = client_for(mette)
    url = reverse("pregnancy:add_consultation", args=[twins.pk])
    assert "Foster 2" in client.get(url).content.decode()
    form = consultation_form(heart_rate_2="150", presentation_2="breech", movements_2="no")
    assert client.post(url, form).status_code == 302
    assert Consultation.objects.get().fetuses[1] == {
        "n": 2,
        "heart_rate": 150,
        "presentation": "breech",
        "movements": False,
    }
    html = client.get(reverse("pregnancy:practitioner_card", args=[twins.pk])).content.decode()
    assert "Hjertefrekvens, foster 2" in html
    assert "Seteleie" in html


def test_mette_adds_an_sf_measurement_and_a_test(mette: Actor, shared: Pregnancy):
    client = client_for(mette)
    day = today().isoformat()
    assert client.post(reverse("pregnancy:add_sf", args=[shared.pk]), {"date": day, "cm": "23"}).status_code == 302
    response = client.post(
        reverse("pregnancy:add_test", args=[shared.pk]), {"test": "ogtt_fasting", "value": "5,1", "taken_on": day}
    )
    assert response.status_code == 302
    test = ClinicalTest.objects.get()
    assert (test.value, test.unit) == ("5,1", "mmol/L")
    assert SfMeasurement.objects.get().cm == 23


@pytest.mark.parametrize(
    ("name", "form", "message"),
    [
        ("add_sf", {"date": "i går", "cm": "23"}, "Skriv datoen som dd.mm.åååå."),
        ("add_sf", {"date": "", "cm": "5"}, "SF-mål må være mellom 10 og 50 cm."),
        ("add_test", {"test": "ogtt_2h", "value": "90", "taken_on": ""}, "Blodsukkeret må være mellom 1 og 35 mmol/L."),
        ("add_test", {"test": "hb_t1", "value": "høy", "taken_on": ""}, "Skriv resultatet som et tall"),
        ("set_due_date", {"due_date_ultrasound": "2001-01-01"}, "Termindatoen må være mellom seks uker tilbake"),
    ],
)
def test_the_other_forms_answer_400_with_a_norwegian_error(
    mette: Actor, shared: Pregnancy, name: str, form: dict[str, str], message: str
):
    response = client_for(mette).post(reverse(f"pregnancy:{name}", args=[shared.pk]), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SfMeasurement.objects.exists()
    assert not ClinicalTest.objects.exists()


def test_an_ultrasound_due_date_overrides_the_one_by_last_period(mette: Actor, shared: Pregnancy):
    due = shared.due_date + datetime.timedelta(days=4)
    response = client_for(mette).post(
        reverse("pregnancy:set_due_date", args=[shared.pk]), {"due_date_ultrasound": due.isoformat()}
    )
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.due_date == due
    assert shared.due_date_source == "ultrasound"
    assert AuditEvent.objects.filter(action="pregnancy:pregnancy:updated").exists()


def test_mette_fills_in_a_section_only_health_personnel_may(kari: Actor, mette: Actor, shared: Pregnancy):
    client = client_for(mette)
    url = reverse("pregnancy:practitioner_section", args=[shared.pk, "rhd"])
    response = client.post(url, {"consent_fetal_typing": "on", "fetus_rhd_positive_week24": "yes"})
    assert response.status_code == 302
    entry = SectionEntry.objects.get(section="rhd")
    assert entry.data == {"consent_fetal_typing": True, "prophylaxis_week28": False, "fetus_rhd_positive_week24": "yes"}
    assert not entry.self_reported
    assert entry.author_hpr_number == "9144889"
    rhd = section_text(client_for(kari).get(reverse("pregnancy:card")).content.decode(), "rhd")
    assert METTE_SIGNATURE in rhd
    assert "Samtykke til RhD-typing av fosteret" in rhd
    assert client.get(reverse("pregnancy:practitioner_section", args=[shared.pk, "x"])).status_code == 404


def test_mette_marks_a_consultation_in_error_but_not_what_kari_wrote(kari: Actor, mette: Actor, shared: Pregnancy):
    with transaction.atomic():
        wrong = services.add_consultation(mette, shared, date=today(), weight_kg=Decimal("93.7"), note="Feil kvinne")
        hers = services.write_section(kari, shared, "mother", {"occupation": "Lærer"})
    client = client_for(mette)
    card_url = reverse("pregnancy:practitioner_card", args=[shared.pk])
    hers_url = reverse("pregnancy:practitioner_mark_in_error", args=[shared.pk, "seksjon", hers.pk])
    assert client.post(hers_url).status_code == 404
    wrong_url = reverse("pregnancy:practitioner_mark_in_error", args=[shared.pk, "kontroll", wrong.pk])
    assert wrong_url in client.get(card_url).content.decode()
    assert client.post(wrong_url).status_code == 302
    html = client_for(kari).get(reverse("pregnancy:card")).content.decode()
    assert "Feil kvinne" not in html
    assert "Ingen kontroller er registrert ennå." in html
    assert "Feilregistrerte oppføringer" in html
    assert "Mette Berg" in html[html.index("<details") :]
    assert client.post(wrong_url).status_code == 404  # already marked
    assert not SectionEntry.objects.get(pk=hers.pk).in_error


def test_an_entry_of_another_card_cannot_be_marked_through_this_one(kari: Actor, mette: Actor, shared: Pregnancy):
    other = _woman(7)
    theirs = start_at(other)
    share_with_mette(other)
    with transaction.atomic():
        entry = services.add_consultation(mette, theirs, date=today(), systolic=120, diastolic=80)
    url = reverse("pregnancy:practitioner_mark_in_error", args=[shared.pk, "kontroll", entry.pk])
    assert client_for(mette).post(url).status_code == 404
    assert not Consultation.objects.get(pk=entry.pk).in_error


def test_a_get_cannot_mark_anything_in_error(mette: Actor, shared: Pregnancy):
    with transaction.atomic():
        entry = services.add_consultation(mette, shared, date=today())
    url = reverse("pregnancy:practitioner_mark_in_error", args=[shared.pk, "kontroll", entry.pk])
    assert client_for(mette).get(url).status_code == 405


def test_mette_closes_the_card_with_a_birth_and_kari_sees_it_as_an_earlier_pregnancy(
    kari: Actor, mette: Actor, shared: Pregnancy
):
    url = reverse("pregnancy:end_pregnancy", args=[shared.pk])
    bad = client_for(mette).post(
        url, {"status": "birth", "ended_on": (today() + datetime.timedelta(days=1)).isoformat()}
    )
    assert bad.status_code == 400
    client_for(mette).post(url, {"status": "birth", "ended_on": today().isoformat()})
    shared.refresh_from_db()
    assert shared.status == "birth"
    page = client_for(kari).get("/gravid/").content.decode()
    assert "Start helsekortet" in page
    assert "Født" in page


def _add_entries(kari: Actor, mette: Actor, pregnancy: Pregnancy, count: int) -> None:
    """Her readings and symptoms and the midwife's consultations, SF-mål and tests, `count` of each."""
    with transaction.atomic():
        for n in range(count):
            at = datetime.datetime.now(OSLO) - datetime.timedelta(days=n, hours=1)
            services.add_own_measurement(kari, pregnancy, kind="bp", measured_at=at, systolic=120, diastolic=80)
            services.add_symptom(kari, pregnancy, date=at.date(), kind="fatigue", severity="mild", note="")
            services.add_consultation(mette, pregnancy, date=at.date(), systolic=118, diastolic=76)
            services.add_sf(mette, pregnancy, date=at.date(), cm=25)
            services.add_test(mette, pregnancy, test="hb", value="12.1", unit="g/dL", taken_on=at.date())


def test_her_card_view_reads_as_many_queries_for_many_entries_as_for_few(kari: Actor, mette: Actor, shared):
    url = reverse("pregnancy:practitioner_card", args=[shared.pk])
    client = client_for(mette)
    _add_entries(kari, mette, shared, 2)
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_entries(kari, mette, shared, 20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
