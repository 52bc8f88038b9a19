"""Search: parameter kinds, the common parameters, keyset paging over merged sources, _include, _total, audit."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from helseportal.appointments.models import Appointment, AppointmentRequest, AppointmentStatus
from helseportal.core.ids import FNR_SYSTEM
from helseportal.demo import personas
from helseportal.fhir import paging, provider, search
from helseportal.fhir.provider import Kind, Param, ResourceType, Source
from helseportal.fhir.search import SortKey
from helseportal.fhir.testing import api
from helseportal.fhir.tests.conftest import Audit, ask, book, citizen_app, person, system_client
from helseportal.identity.models import Person, Practitioner
from helseportal.organisations.models import Unit

pytestmark = pytest.mark.django_db
GP = personas.MAJORSTUEN_GP


def ids(bundle: dict, mode: str = "match") -> list[str]:
    return [e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == mode]


def find(path: str, actor=None, **headers):
    response = api(actor or system_client(GP)).get(path, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_tokens_dates_references_and_strings_select_rows(demo, served):
    kari, ola = person(personas.KARI), person(personas.OLA)
    soon = book(personas.KARI, GP, days=2, place="EPJ-1")
    later = book(personas.OLA, GP, days=9, place="EPJ-2", status=AppointmentStatus.CHANGED)
    gone = book(personas.KARI, GP, days=4, place="Annet", status=AppointmentStatus.CANCELLED)
    request = ask(personas.KARI, GP)
    day = timezone.localdate() + datetime.timedelta(days=2)
    cases = {
        "status=booked": {str(soon.pk), str(later.pk)},  # `values`: booked stands for booked and changed
        "status=cancelled,proposed": {str(gone.pk), f"request-{request.pk}"},
        "status:not=booked": {str(gone.pk), f"request-{request.pk}"},
        "status=urn:other|booked": set(),
        f"identifier={'urn:test:epj-appointment'}|EPJ-2": {str(later.pk)},
        "identifier=EPJ-1": {str(soon.pk)},
        "identifier=urn:other|EPJ-1": set(),
        f"date={day.isoformat()}": {str(soon.pk)},
        f"date=gt{day.isoformat()}": {str(gone.pk), str(later.pk)},
        f"date=ge{day.isoformat()}&date=lt{(day + datetime.timedelta(days=5)).isoformat()}": {
            str(soon.pk),
            str(gone.pk),
        },
        f"patient=Patient/{ola.pk}": {str(later.pk)},
        f"patient={kari.pk}&status=booked": {str(soon.pk)},
        f"patient:identifier={FNR_SYSTEM}|{personas.OLA.pid}": {str(later.pk)},
        f"patient=Practitioner/{ola.pk}": set(),
        "comment=epj": {str(soon.pk), str(later.pk)},
        "comment:exact=EPJ-1": {str(soon.pk)},
        "comment:contains=nne": {str(gone.pk)},
        f"_id={soon.pk},request-{request.pk},999999": {str(soon.pk), f"request-{request.pk}"},
        "comment:missing=false&_id=" + str(gone.pk): {str(gone.pk)},
    }
    for query, expected in cases.items():
        found = find(f"/fhir/R4/Appointment?{query}")
        assert set(ids(found)) == expected, query
        assert ("entry" in found) == bool(expected), "FHIR JSON has no empty arrays: no match, no `entry`"


def test_last_updated_filters_by_the_sources_time_of_change(demo, served):
    old = book(personas.KARI, GP, days=1)
    Appointment.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    new = book(personas.KARI, GP, days=2)
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert ids(find(f"/fhir/R4/Appointment?_lastUpdated=ge{since}&_id={old.pk},{new.pk}")) == [str(new.pk)]
    assert ids(find(f"/fhir/R4/Appointment?_lastUpdated=lt{since}")) == [str(old.pk)]


@pytest.mark.parametrize(
    "query",
    [
        "date=2026-13-01",
        "date=xx2026-01-01",
        "date=2026-02-30",
        "date=ap2026-01-01",
        "date=tomorrow",
        "_count=-1",
        "_count=many",
        "_total=maybe",
        "status:text=booked",
        "comment:missing=perhaps",
        "_cursor=forged",
    ],
)
def test_a_bad_value_prefix_or_modifier_is_a_400_outcome(demo, served, query: str):
    response = api(system_client(GP)).get(f"/fhir/R4/Appointment?{query}")
    assert response.status_code == 400, query
    assert response.json()["issue"][0]["code"] in ("invalid", "not-supported")


def test_unknown_parameters_are_ignored_and_named_unless_handling_is_strict(demo, served):
    mine = book(personas.KARI, GP, days=1)
    bundle = find("/fhir/R4/Appointment?colour=blue&status=booked&_sort=shoe_size")
    assert ids(bundle) == [str(mine.pk)]
    self_query = parse_qs(urlsplit(bundle["link"][0]["url"]).query)
    assert self_query == {"status": ["booked"]}
    [warning] = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "outcome"]
    assert warning["issue"][0]["severity"] == "warning"
    assert "colour" in warning["issue"][0]["expression"]
    strict = api(system_client(GP)).get("/fhir/R4/Appointment?colour=blue", headers={"Prefer": "handling=strict"})
    assert strict.status_code == 400
    assert strict.json()["issue"][0]["expression"] == ["colour"]
    assert find("/fhir/R4/Appointment?status=", Prefer="handling=strict")["entry"]  # an empty value is no filter


def test_paging_walks_two_merged_sources_without_gaps_or_repeats(demo, served):
    expected = set()
    for day in range(1, 13):
        expected.add(str(book(personas.KARI if day % 2 else personas.OLA, GP, days=day, hour=8 + day % 3).pk))
    for _ in range(5):
        expected.add(f"request-{ask(personas.KARI, GP).pk}")
    book(personas.KARI, personas.HEALTH_STATION, days=3)  # another unit's: never on any page
    for sort in ("", "&_sort=date", "&_sort=-date", "&_sort=-_lastUpdated,_id"):
        seen: list[str] = []
        url: str | None = f"/fhir/R4/Appointment?_count=4{sort}"
        while url:
            bundle = find(url.removeprefix("http://testserver"))
            seen += ids(bundle)
            url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
            assert len(ids(bundle)) == 4 or url is None
        assert len(seen) == len(set(seen)) == len(expected), sort
        assert set(seen) == expected


def test_sort_orders_across_sources_with_the_key_as_tie_break(demo, served):
    first = book(personas.KARI, GP, days=1)
    tie_a = book(personas.KARI, GP, days=3)
    tie_b = book(personas.OLA, GP, days=3)
    request = ask(personas.KARI, GP)  # created now: before every booked appointment's start
    ascending = ids(find("/fhir/R4/Appointment?_sort=date"))
    assert ascending == [f"request-{request.pk}", str(first.pk), str(tie_a.pk), str(tie_b.pk)]
    assert ids(find("/fhir/R4/Appointment?_sort=-date")) == [
        str(tie_a.pk),
        str(tie_b.pk),
        str(first.pk),
        f"request-{request.pk}",
    ]


def test_count_defaults_to_20_and_is_capped_at_100(demo, served):
    for day in range(25):
        book(personas.KARI, GP, days=day + 1)
    assert len(ids(find("/fhir/R4/Appointment"))) == 20
    capped = find("/fhir/R4/Appointment?_count=500")
    assert len(ids(capped)) == 25
    assert "_count=100" in capped["link"][0]["url"]
    counted = find("/fhir/R4/Appointment?_count=0")
    assert counted["total"] == 25
    assert "entry" not in counted or not counted["entry"]


def test_total_is_off_by_default_and_counts_only_rows_in_scope(demo, served):
    book(personas.KARI, GP, days=1)
    book(personas.KARI, GP, days=2)
    book(personas.KARI, personas.HEALTH_STATION, days=3)
    ask(personas.KARI, GP)
    assert "total" not in find("/fhir/R4/Appointment")
    assert find("/fhir/R4/Appointment?_total=accurate&_count=1")["total"] == 3
    kari_app = citizen_app(personas.KARI)
    assert find("/fhir/R4/Appointment?_total=accurate", kari_app)["total"] == 4
    assert find("/fhir/R4/Appointment?_total=accurate", citizen_app(personas.PER))["total"] == 0


def test_include_fetches_referred_resources_within_their_scope(demo, served, monkeypatch):
    lars = Practitioner.objects.get(hpr_number=personas.LARS.hpr_number)
    mette = Practitioner.objects.get(hpr_number=personas.METTE.hpr_number)
    book(personas.KARI, GP, days=1)
    book(personas.OLA, GP, days=2, practitioner=mette)
    bundle = find("/fhir/R4/Appointment?_include=Appointment:practitioner")
    assert sorted(ids(bundle, "include")) == sorted([str(lars.pk), str(mette.pk)])
    assert Bundle.model_validate(bundle).type == "searchset"
    # The included type's own scope decides: Mette is out of it, so she appears nowhere.
    hidden = served["Practitioner"].sources[0]
    narrowed = Source(Practitioner, lambda actor: Practitioner.objects.exclude(pk=mette.pk), hidden.to_fhir, person="")
    monkeypatch.setitem(provider._TYPES, "Practitioner", ResourceType("Practitioner", (narrowed,)))
    assert ids(find("/fhir/R4/Appointment?_include=Appointment:practitioner:Practitioner"), "include") == [str(lars.pk)]
    # Without a scope to read Practitioner, nothing is included.
    only_appointments = system_client(GP, "system/Appointment.rs")
    assert ids(find("/fhir/R4/Appointment?_include=Appointment:practitioner", only_appointments), "include") == []


def test_a_page_of_20_costs_the_same_queries_as_a_page_of_2(demo, served):
    client = api(system_client(GP))
    ask(personas.KARI, GP)
    for day in range(2):
        book(personas.KARI, GP, days=day + 1)
    url = "/fhir/R4/Appointment?_include=Appointment:practitioner&_total=accurate&_sort=-date"
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for day in range(20):
        book(personas.OLA if day % 2 else personas.KARI, GP, days=day + 3)
        ask(personas.OLA, GP)
    with CaptureQueriesContext(connection) as large:
        bundle = client.get(url).json()
    assert len(ids(bundle)) == 20
    assert ids(bundle, "include")
    assert len(large) == len(small) <= 12


def test_a_search_is_audited_once_with_the_ids_and_persons_it_returned(demo, served, audit: Audit):
    kari_time = book(personas.KARI, GP, days=1)
    ola_time = book(personas.OLA, GP, days=2)
    find("/fhir/R4/Appointment?_sort=date")
    [(_actor, action, resources, persons)] = audit.calls
    assert action == "search"
    assert resources == [f"Appointment/{kari_time.pk}", f"Appointment/{ola_time.pk}"]
    assert persons == sorted([person(personas.KARI).pk, person(personas.OLA).pk])
    audit.calls.clear()
    find("/fhir/R4/Appointment?status=fulfilled")
    assert audit.calls == []


def test_a_citizen_app_searches_only_its_patient(demo, served):
    mine = book(personas.KARI, GP, days=1)
    book(personas.OLA, GP, days=1)
    assert ids(find("/fhir/R4/Appointment", citizen_app(personas.KARI))) == [str(mine.pk)]
    assert ids(find(f"/fhir/R4/Appointment?patient={person(personas.OLA).pk}", citizen_app(personas.KARI))) == []


def test_dates_and_timestamps_from_two_sources_page_in_one_order(demo):
    """A date field (birth dates) and a timestamp field (appointment starts) merged: pages of one agree with all."""
    people = Source(Person, lambda actor: Person.objects.all(), dict, sort={"date": "birth_date"}, person="pk")
    times = Source(Appointment, lambda actor: Appointment.objects.all(), dict, sort={"date": "starts_at"})
    born = person(personas.KARI).birth_date
    midnight = datetime.datetime.combine(born, datetime.time(), tzinfo=timezone.get_default_timezone())
    for moment in (midnight, midnight + datetime.timedelta(hours=9), midnight - datetime.timedelta(hours=1)):
        row = book(personas.KARI, GP, days=1)
        Appointment.objects.filter(pk=row.pk).update(starts_at=moment, ends_at=moment + datetime.timedelta(hours=1))
    streams = [paging.Stream("A", people, Person.objects.all()), paging.Stream("B", times, Appointment.objects.all())]
    for order in ((SortKey("date", False),), (SortKey("date", True),)):
        whole, _more = paging.page(streams, order, None, 100)
        walked, after = [], None
        while True:
            found, more = paging.page(streams, order, after, 1)
            walked += found
            if not more:
                break
            after = found[-1].key
        assert [(f.stream.type_name, f.row.pk) for f in walked] == [(f.stream.type_name, f.row.pk) for f in whole]


def test_numbers_uris_and_dates_without_time_follow_the_search_rules(demo):
    location = Source(
        Unit,
        lambda actor: Unit.objects.all(),
        dict,
        params={"latitude": Param(Kind.NUMBER, "latitude"), "orgnr": Param(Kind.URI, "orgnr")},
    )
    rt = ResourceType("Location", (location,))
    gp = Unit.objects.get(orgnr=GP.orgnr)

    def count(query: str) -> int:
        parsed = search.parse(rt, [tuple(query.split("=", 1))])
        return Unit.objects.filter(search.source_filter(rt, location, parsed)).count()

    assert count(f"latitude={gp.latitude}") >= 1
    assert (
        count(f"latitude=gt{gp.latitude}") + count(f"latitude=le{gp.latitude}")
        == Unit.objects.exclude(latitude=None).count()
    )
    assert count(f"orgnr={GP.orgnr}") == 1
    assert count(f"orgnr:below={GP.orgnr[:3]}") >= 1
    with pytest.raises(search.Problem):
        count("latitude=north")
    people = Source(
        Person, lambda actor: Person.objects.all(), dict, params={"birthdate": Param(Kind.DATE, "birth_date")}
    )
    patients = ResourceType("Patient", (people,))
    born = person(personas.KARI).birth_date
    for query, holds in (
        (f"eq{born}", True),
        (f"gt{born}", False),
        (f"le{born}", True),
        (f"eq{born.year}", True),
        (f"lt{born}T12:00:00+01:00", True),
        (f"sa{born}", False),
        (f"ne{born}", False),
    ):
        parsed = search.parse(patients, [("birthdate", query)])
        found = Person.objects.filter(search.source_filter(patients, people, parsed), pk=person(personas.KARI).pk)
        assert found.exists() == holds, query


def test_a_request_created_just_now_is_found_by_todays_date(demo, served):
    request = ask(personas.KARI, GP)
    today = timezone.localdate().isoformat()
    assert ids(find(f"/fhir/R4/Appointment?date={today}&status=proposed")) == [f"request-{request.pk}"]
    assert AppointmentRequest.objects.count() == 1
