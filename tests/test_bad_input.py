"""Bad input gets a clear answer, never a 500 (ARCHITECTURE.md rule 5): ids, weeks, pages and empty forms."""

from dataclasses import replace

import pytest
from django.test import Client

from helseportal.core.actor import Assurance, Role
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo

pytestmark = pytest.mark.django_db

HUGE = "9" * 20  # overflows a 64-bit database integer


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()


def test_a_huge_id_is_a_missing_record_for_the_public(client: Client):
    assert client.get(f"/enhet/bilde/{HUGE}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/helsepersonell/gravid/start/{HUGE}/",
        f"/helsepersonell/timeavtaler/kalender/{HUGE}/",
        f"/helsepersonell/meldinger/{HUGE}/",
    ],
)
def test_a_huge_id_is_a_missing_record_for_health_personnel(client: Client, path: str):
    log_in(client, actors.clinician(personas.INGRID, personas.SHT_OSLO))
    assert client.get(path).status_code == 404
    assert client.post(path).status_code in (404, 405)


def test_an_id_of_eighteen_digits_still_reaches_the_view(client: Client):
    log_in(client, actors.clinician(personas.INGRID, personas.SHT_OSLO))
    assert client.get("/helsepersonell/gravid/start/999999999999999999/").status_code == 404  # no such woman


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2026-13-01", "neste"])
def test_a_calendar_week_far_off_or_malformed_shows_this_week(client: Client, week: str):
    ingrid = actors.clinician(personas.INGRID, personas.SHT_OSLO)
    log_in(client, ingrid)
    response = client.get(f"/helsepersonell/timeavtaler/kalender/{ingrid.practitioner_key}/", {"uke": week})
    assert response.status_code == 200


@pytest.mark.parametrize("page", [HUGE, "-3", "tre"])
def test_a_message_inbox_page_out_of_range_answers(client: Client, page: str):
    log_in(client, actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    assert client.get("/helsepersonell/meldinger/", {"vis": "alle", "side": page}).status_code == 200


def test_an_empty_appointment_request_is_told_what_is_missing(client: Client):
    log_in(client, actors.citizen(personas.KARI))
    response = client.post("/timeavtaler/be-om-time/", {})
    assert response.status_code == 400
    html = response.content.decode()
    for error in ("Velg et sted.", "Velg hvordan du vil møte.", "Fyll ut mobilnummeret ditt."):
        assert error in html


def test_an_empty_youth_request_is_told_what_is_missing(client: Client):
    nora = replace(actors.citizen(personas.NORA, Assurance.SUBSTANTIAL), role=Role.YOUTH)
    log_in(client, nora)
    response = client.post("/ungdom/be-om-time/", {})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


# --- issue 15, item 13: numbers and dates beyond what the database or the calendar can hold -------------------


def _measure(client: Client, **data: str):
    from helseportal.demo.pregnancy import load_pregnancy

    load_pregnancy()
    log_in(client, actors.citizen(personas.KARI))
    return client.post("/gravid/malinger/", {"date": "2026-06-01", "time": "08:00", **data})


@pytest.mark.parametrize("systolic", ["-1", "100000000000000000000", "70000"])
def test_blood_pressure_numbers_on_a_weight_are_dropped_not_stored(client: Client, systolic: str):
    from helseportal.pregnancy.models import OwnMeasurement

    response = _measure(client, kind="weight", value="72,5", systolic=systolic, diastolic=systolic)
    assert response.status_code == 302
    weight = OwnMeasurement.objects.filter(kind="weight").latest("pk")
    assert (weight.value, weight.systolic, weight.diastolic) == (72.5, None, None)


def test_a_weight_sent_with_a_blood_pressure_is_not_stored_on_it(client: Client):
    from helseportal.pregnancy.models import OwnMeasurement

    assert _measure(client, kind="bp", systolic="120", diastolic="80", value="72,5").status_code == 302
    assert OwnMeasurement.objects.filter(kind="bp").latest("pk").value is None


@pytest.mark.parametrize(
    ("systolic", "diastolic"),
    [("-1", "80"), ("100000000000000000000", "80"), ("120", "-100000000000000000000"), ("1e3", "80")],
)
def test_a_blood_pressure_out_of_any_range_is_a_field_error(client: Client, systolic: str, diastolic: str):
    from helseportal.pregnancy.models import OwnMeasurement

    response = _measure(client, kind="bp", systolic=systolic, diastolic=diastolic)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert "mmHg" in response.content.decode()
    assert not OwnMeasurement.objects.filter(kind="bp", measured_at__date="2026-06-01").exists()


@pytest.mark.parametrize("day", ["9999-12-31", "31.12.9999", "0001-01-01"])
@pytest.mark.dates
def test_free_times_far_in_the_future_get_a_field_error(client: Client, day: str):
    from helseportal.appointments.models import FreeTime

    ingrid = actors.clinician(personas.INGRID, personas.SHT_OSLO)
    log_in(client, ingrid)
    before = FreeTime.objects.count()
    response = client.post(
        "/helsepersonell/timeavtaler/ledige-tider/",
        {
            "practitioner": ingrid.practitioner_id,
            "first_day": day,
            "days": "14",
            "day_start": "08:00",
            "day_end": "09:00",
            "minutes": "20",
            "meeting_forms": ["physical"],
        },
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert FreeTime.objects.count() == before


@pytest.mark.dates
def test_free_times_more_than_a_year_ahead_are_refused(client: Client):
    import datetime

    from helseportal.core.time import today

    ingrid = actors.clinician(personas.INGRID, personas.SHT_OSLO)
    log_in(client, ingrid)
    day = today() + datetime.timedelta(days=400)
    response = client.post(
        "/helsepersonell/timeavtaler/ledige-tider/",
        {"practitioner": ingrid.practitioner_id, "first_day": day.isoformat(), "days": "1", "day_start": "08:00",
         "day_end": "09:00", "minutes": "20", "meeting_forms": ["physical"]},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Velg en dag innen ett år fram i tid." in response.content.decode()


def test_the_service_stores_only_the_numbers_of_the_measurements_kind():
    import datetime
    from decimal import Decimal

    from django.db import transaction

    from helseportal.core.time import OSLO
    from helseportal.demo.pregnancy import load_pregnancy
    from helseportal.pregnancy import queries, services

    load_pregnancy()
    kari = actors.citizen(personas.KARI)
    pregnancy = queries.ongoing(kari)
    moment = datetime.datetime(2026, 6, 1, 8, tzinfo=OSLO)
    with transaction.atomic():
        weight = services.add_own_measurement(
            kari, pregnancy, kind="weight", measured_at=moment, systolic=-1, diastolic=10**20, value=Decimal("72.5")
        )
        pressure = services.add_own_measurement(
            kari, pregnancy, kind="bp", measured_at=moment, systolic=120, diastolic=80, value=Decimal("72.5")
        )
    weight.refresh_from_db()
    pressure.refresh_from_db()
    assert (weight.systolic, weight.diastolic, weight.value) == (None, None, Decimal("72.5"))
    assert (pressure.systolic, pressure.diastolic, pressure.value) == (120, 80, None)


def test_every_ds_form_bounds_dates_and_whole_numbers_it_left_open():
    from django import forms

    from helseportal.core.forms import DsForm

    class Open(DsForm):
        day = forms.DateField()
        count = forms.IntegerField()
        amount = forms.DecimalField()

    form = Open({"day": "9999-12-31", "count": str(10**20), "amount": "1" * 30})
    assert not form.is_valid()
    assert form.errors["day"] == ["Skriv en dato mellom år 1900 og 2199."]
    assert form.errors["count"] == ["Tallet er for stort."]
    assert form.errors["amount"] == ["Tallet er for stort."]
    assert Open({"day": "2026-06-10", "count": "-3", "amount": "72.5"}).is_valid()


# --- issue 15, item 15: under DEBUG (`make run`) the portal's own error pages, the traceback in the log only -----


@pytest.fixture
def debug(settings) -> None:
    settings.DEBUG = True


def test_under_debug_an_unknown_address_gets_the_portals_404_and_no_list_of_addresses(client: Client, debug):
    response = client.get("/finnes-ikke/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Vi fant ikke siden" in html
    assert "URLconf" not in html
    assert "gravid/" not in html


def test_under_debug_a_view_refusing_a_record_gets_the_portals_404(client: Client, debug):
    log_in(client, actors.clinician(personas.INGRID, personas.SHT_OSLO))
    response = client.get("/helsepersonell/gravid/start/999999999/")
    assert response.status_code == 404
    assert "Vi fant ikke siden" in response.content.decode()


def test_under_debug_a_failing_view_gets_the_portals_500_and_the_traceback_goes_to_the_log(
    debug, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    import helseportal.views

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the about page broke")

    monkeypatch.setattr(helseportal.views, "render", broken)
    response = Client(raise_request_exception=False).get("/om/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Noe gikk galt hos oss" in html
    assert "Traceback" not in html
    assert "the about page broke" not in html
    logged = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert len(logged) == 1
    assert "the about page broke" in str(logged[0].exc_info[1])


def test_under_debug_an_address_without_its_slash_is_still_redirected(client: Client, debug):
    response = client.get("/om")
    assert response.status_code == 301
    assert response["Location"] == "/om/"


@pytest.mark.parametrize("next_page", ["Test", "home", "/gravid/\nSet-Cookie: x=y", "/min-side/\x7f"])
def test_a_next_that_is_no_path_on_the_site_goes_to_the_start_page(client: Client, next_page: str):
    """Found by the form fuzzer: "Test" was reversed as a view name and a newline broke the header (500s)."""
    log_in(client, actors.citizen(personas.KARI))
    kari = actors.citizen(personas.KARI)
    response = client.post("/velg-person/", {"person": str(kari.person_id), "next": next_page})
    assert response.status_code == 302
    assert response["Location"] == "/min-side/"


@pytest.mark.parametrize("back", ["0", "pregnancy:card", "/gravid/\r\nX: y"])
def test_marking_an_entry_wrong_with_a_back_that_is_no_path_goes_to_the_overview(client: Client, back: str):
    """Found by the form fuzzer: "0" was reversed as a view name (a 500)."""
    from helseportal.demo.pregnancy import load_pregnancy
    from helseportal.pregnancy.models import OwnMeasurement

    load_pregnancy()
    log_in(client, actors.citizen(personas.KARI))
    entry = OwnMeasurement.objects.filter(entered_in_error_at__isnull=True).first()
    response = client.post(f"/gravid/feilregistrert/maling/{entry.pk}/", {"back": back})
    assert response.status_code == 302
    assert response["Location"] == "/gravid/"


def test_under_debug_a_500_before_any_view_is_the_portals_page(rf, debug):
    """A middleware that fails before the URL is resolved: Django logs the traceback, the user sees our page."""
    from django.http import HttpResponseServerError

    from helseportal.views.errors import portal_pages_in_debug

    page = portal_pages_in_debug(lambda request: HttpResponseServerError("Traceback (most recent call last): …"))
    response = page(rf.get("/"))
    assert response.status_code == 500
    assert "Noe gikk galt hos oss" in response.content.decode()
    assert "Traceback" not in response.content.decode()
