"""The open figures at /statistikk/: the page, the CSV and the FHIR MeasureReport show no number under 5 (zero
aside), never a unit, never a person; a hidden cell cannot be subtracted from a total; bad months get a Norwegian
400 page (an OperationOutcome for the JSON), never a 500."""

import csv
import datetime
import io
import json
import math
import re

import pytest
from django.test import Client
from fhir.resources.R4B.measurereport import MeasureReport
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.demo.stats import load_counters
from helseportal.stats import fhir, public
from helseportal.stats.events import Event
from helseportal.stats.models import Counter

MAY = datetime.date(2026, 5, 1)
ORGNRS = [p.orgnr for p in (personas.MAJORSTUEN_GP, personas.HEALTH_STATION, personas.HFU_OSLO, personas.SHT_BERGEN)]


def shown_numbers_of_page(html: str) -> list[str]:
    return re.findall(r'<td class="num" data-suppressed="[01]">([^<]*)</td>', html)


def shown_numbers_of_report(report: dict) -> list[int]:
    found = []
    for group in report["group"]:
        found += [p["count"] for p in group["population"] if "count" in p]
        for stratifier in group.get("stratifier", []):
            for stratum in stratifier["stratum"]:
                found += [p["count"] for p in stratum["population"] if "count" in p]
    return found


def as_int(text: str) -> int | None:
    digits = text.replace("\u00a0", "").replace(" ", "")
    return int(digits) if digits.isdigit() else None


# -- suppression with totals (pure) -----------------------------------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8))
def test_protect_shows_nothing_under_5_and_leaves_no_hidden_part_to_subtract(counts):
    figures = public.protect(counts, sum(counts))
    parts, total = figures[:-1], figures[-1]
    assert all(f.value is None or f.value == 0 or f.value >= 5 for f in figures)
    hidden = [i for i, f in enumerate(parts) if f.suppressed]
    if not total.suppressed and hidden:
        # The total and the shown parts never pin down one hidden part: at least two are hidden.
        assert len(hidden) >= 2
    for part, count in zip(parts, counts, strict=True):
        assert part.value in (None, count)


def test_the_order_of_the_services_tells_nothing_of_a_hidden_one(db: None):
    day = datetime.date(2026, 5, 4)
    for service, n in (("medicines", 50), ("messages", 3), ("results", 20), ("travel", 9)):
        Counter.objects.create(day=day, event="view", service=service, count=n)
    rows = public.national(MAY).table("views").rows
    assert [(r.code, r.figures[0].value) for r in rows] == [
        ("medicines", 50), ("results", 20), ("messages", None), ("travel", None), ("", 82),
    ]  # fmt: skip


def test_a_single_small_cell_takes_the_smallest_other_with_it():
    figures = public.protect([3, 40, 12], 55)
    assert [f.value for f in figures] == [None, 40, None, 55]
    assert [f.text for f in figures][:1] == ["< 5"]


def test_two_small_cells_cannot_be_subtracted_from_the_total_in_the_csv(db: None, client: Client):
    day = datetime.date(2026, 5, 4)
    for service, n in (("messages", 100), ("vaccines", 1), ("results", 1)):
        Counter.objects.create(day=day, event="view", service=service, count=n)
    rows = list(csv.DictReader(io.StringIO(client.get("/statistikk/2026-05.csv").content.decode())))
    views = {r["row"]: r["value"] for r in rows if r["table"] == "views"}
    assert views["vaccines"] == views["results"] == "< 5"
    # 102 - 100 would give the two hidden ones (both 1): the total or the 100 is hidden too.
    assert "skjult" in (views["messages"], views["total"])


def test_messages_to_the_school_nurse_are_the_citizens_only_as_on_the_dashboard(db: None, client: Client):
    load_demo()
    day, sht = datetime.date(2026, 5, 4), personas.SHT_BERGEN.orgnr
    Counter.objects.create(day=day, event="message_sent", service="youth", unit_orgnr=sht, municipality="4601",
                           detail="unit", count=50)  # fmt: skip
    Counter.objects.create(day=day, event="message_sent", service="youth", unit_orgnr=sht, municipality="4601",
                           detail="citizen", count=7)  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(client.get("/statistikk/2026-05.csv").content.decode())))
    youth = {r["row"]: r["value"] for r in rows if r["table"] == "youth"}
    assert youth["messages_school_nurse"] == "7"


def test_a_big_number_hidden_to_protect_a_small_one_says_skjult_everywhere(db: None, client: Client):
    day = datetime.date(2026, 5, 4)
    for service, n in (("messages", 1000), ("vaccines", 800), ("results", 2)):
        Counter.objects.create(day=day, event="view", service=service, count=n)
    rows = list(csv.DictReader(io.StringIO(client.get("/statistikk/2026-05.csv").content.decode())))
    views = {r["row"]: r["value"] for r in rows if r["table"] == "views"}
    assert views == {"messages": "1000", "vaccines": "skjult", "results": "< 5", "total": "1802"}
    html = client.get("/statistikk/?maned=2026-05").content.decode()
    assert '<td class="num" data-suppressed="1">skjult</td>' in html
    assert "«skjult»" in html  # the page says what the mark means
    report = json.loads(client.get("/statistikk/2026-05.json").content)
    masked = [g for g in report["group"] if g["code"]["coding"][0]["code"] in ("views:vaccines", "views:results")]
    assert [g["population"][0]["_count"]["extension"][0]["valueCode"] for g in masked] == ["masked", "masked"]


def test_a_municipality_column_protects_two_small_ones_and_the_national_figure_follows(db: None):
    load_demo()
    day = datetime.date(2026, 5, 4)
    for orgnr, municipality in ((personas.HFU_OSLO.orgnr, "0301"), (personas.SHT_BERGEN.orgnr, "4601")):
        Counter.objects.create(
            day=day, event="message_sent", service="youth", unit_orgnr=orgnr, municipality=municipality, count=1
        )
    found = public.national(MAY)
    column = [row.figures[0] for row in found.table("municipalities").rows]
    assert [f.text for f in column] == ["< 5", "< 5", "< 5"]  # the total, 2, is itself under 5
    Counter.objects.filter(municipality="0301").update(count=5)
    found = public.national(MAY)
    column = [row.figures[0] for row in found.table("municipalities").rows]
    national = {row.code: row.figures[0] for row in found.table("transactions").rows}
    # 6 - 5 would pin Bergen's 1; hiding the 5 as «skjult» alone still pins it (5 or more + 1 to 4 = 6): total hidden.
    assert [f.text for f in column] == ["skjult", "< 5", "skjult"]
    assert national["message_sent"].text == "skjult"


# -- the month ---------------------------------------------------------------------------------------------------------


def test_the_month_defaults_to_the_last_whole_one():
    assert public.parse_month("") == MAY
    assert public.parse_month("2026-06") == datetime.date(2026, 6, 1)


BAD_MONTHS = ["0000-01", "0000-13", "0001-01", "２０２６-05", "2026-05\n-"]


@pytest.mark.parametrize(
    "bad", [*BAD_MONTHS, "2026-13", "2026-00", "mai", "2026-5", "2026-07", "1999-12", "2026-05-01", "' or 1=1"]
)
def test_a_bad_month_is_invalid(bad):
    with pytest.raises(public.Invalid):
        public.parse_month(bad)


# -- the demo's counters -----------------------------------------------------------------------------------------------


@pytest.fixture
def demo(db: None) -> None:
    load_demo()
    load_counters()


def test_the_demo_counters_are_idempotent_and_deterministic(demo):
    before = list(Counter.objects.order_by("day", "event", "service", "unit_orgnr", "detail").values_list())
    assert load_counters() > 0
    after = list(Counter.objects.order_by("day", "event", "service", "unit_orgnr", "detail").values_list())
    assert before == after
    assert Counter.objects.filter(day__gte=datetime.date(2026, 6, 10)).count() == 0  # today's real counts untouched
    # Weekdays busier than Sundays, and some cells of May small enough to be hidden.
    views: dict[datetime.date, int] = {}
    for day, n in Counter.objects.filter(event="view", unit_orgnr="").values_list("day", "count"):
        views[day] = views.get(day, 0) + n
    by_weekday: dict[int, list[int]] = {}
    for day, n in views.items():
        by_weekday.setdefault(day.weekday(), []).append(n)
    assert sum(by_weekday[0]) / len(by_weekday[0]) > sum(by_weekday[6]) / len(by_weekday[6])
    figures = public.national(MAY)
    assert any(f.suppressed for t in figures.tables for r in t.rows for f in r.figures)


def test_the_page_shows_the_month_in_tables_with_nothing_under_5(demo, client: Client):
    response = client.get("/statistikk/?maned=2026-05")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bruken av helseportalen i tall" in html
    assert "Sidevisninger per tjeneste" in html
    assert "Fullførte handlinger per kommune" in html
    assert "Oslo (0301)" in html
    assert "Bergen (4601)" in html
    numbers = shown_numbers_of_page(html)
    assert "&lt; 5" in numbers
    assert all(as_int(n) is None or as_int(n) == 0 or as_int(n) >= 5 for n in numbers)
    # Per municipality at most: no unit's name or organisation number on the page.
    for persona in (personas.MAJORSTUEN_GP, personas.HFU_FANA, personas.SHT_OSLO):
        assert persona.orgnr not in html
        assert persona.name not in html
    assert 'href="/statistikk/2026-05.csv"' in html
    assert 'href="/statistikk/2026-05.json"' in html


def test_the_footer_links_the_open_figures(client: Client, db: None):
    assert 'href="/statistikk/"' in client.get("/om/").content.decode()


@pytest.mark.parametrize("language", ["nn", "en"])
def test_the_page_answers_in_each_language(demo, client: Client, language):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get("/statistikk/")
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_the_csv_has_every_cell_with_nothing_under_5_and_no_unit(demo, client: Client):
    response = client.get("/statistikk/2026-05.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["table"] for r in rows} == {"views", "transactions", "youth", "municipalities"}
    values = [r["value"] for r in rows]
    assert "< 5" in values
    assert all(v in ("< 5", "skjult") or int(v) == 0 or int(v) >= 5 for v in values)
    assert personas.MAJORSTUEN_GP.orgnr not in response.content.decode()


def test_no_export_holds_a_person_id_nor_a_unit(demo, client: Client):
    """Issue 13: no person id in any counter or export (nor a unit below the municipality in the open figures)."""
    from helseportal.identity.models import Person, Practitioner

    assert {f.name for f in Counter._meta.get_fields()} == {
        "id", "day", "event", "service", "unit_orgnr", "municipality", "detail", "count",
    }  # fmt: skip
    ids = [*Person.objects.values_list("pid", flat=True), *Practitioner.objects.values_list("hpr_number", flat=True)]
    names = [f"{p.given_name} {p.family_name}" for p in Person.objects.all()]
    assert ids
    assert names
    for path in ("/statistikk/?maned=2026-05", "/statistikk/2026-05.csv", "/statistikk/2026-05.json"):
        text = client.get(path).content.decode()
        for value in [*ids, *names, *ORGNRS]:
            assert value not in text, (path, value)


def test_the_measure_report_is_valid_fhir_and_masks_small_cells(demo, client: Client):
    response = client.get("/statistikk/2026-05.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    report = json.loads(response.content)
    MeasureReport.model_validate(report)  # the R4(B) model accepts it
    assert report["type"] == "summary"
    assert report["status"] == "complete"
    assert report["measure"] == fhir.MEASURE
    assert report["period"] == {"start": "2026-05-01", "end": "2026-05-31"}
    strata = [s for g in report["group"] for st_ in g.get("stratifier", []) for s in st_["stratum"]]
    populations = [p for part in [*report["group"], *strata] for p in part["population"]]
    masked = [p for p in populations if "count" not in p]  # suppressed: no count, data-absent-reason "masked"
    assert masked
    assert all(p["_count"]["extension"][0]["valueCode"] == "masked" for p in masked)
    assert all(n == 0 or n >= 5 for n in shown_numbers_of_report(report))
    text = response.content.decode()
    assert personas.MAJORSTUEN_GP.orgnr not in text
    assert {s["value"]["coding"][0]["code"] for s in strata} == {"0301", "4601"}


@pytest.mark.parametrize("path", ["/statistikk/?maned=2026-13", "/statistikk/mai.csv", "/statistikk/2031-01.csv"])
def test_a_bad_month_gets_the_norwegian_400_page(client: Client, db: None, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "Vi forsto ikke forespørselen" in response.content.decode()


def test_a_bad_month_in_the_fhir_json_gets_an_operation_outcome(client: Client, db: None):
    response = client.get("/statistikk/2026-13.json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/fhir+json"
    outcome = json.loads(response.content)
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "invalid"


@pytest.mark.parametrize("month", ["0000-01", "0000-12", "0019-01"])
def test_year_0_is_a_norwegian_400_on_page_and_csv_and_an_operation_outcome_in_json(client: Client, db: None, month):
    for path in (f"/statistikk/?maned={month}", f"/statistikk/{month}.csv"):
        response = client.get(path)
        assert response.status_code == 400
        assert "Vi forsto ikke forespørselen" in response.content.decode()
    response = client.get(f"/statistikk/{month}.json")
    assert response.status_code == 400
    assert json.loads(response.content)["resourceType"] == "OperationOutcome"


months_text = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}\Z"),
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(0, 9999), st.integers(0, 99)),
)


@settings(max_examples=200, deadline=None)
@given(months_text)
def test_any_month_text_is_a_month_or_invalid(text):
    try:
        month = public.parse_month(text)
    except public.Invalid:
        return
    assert public.FIRST_MONTH <= month <= datetime.date(2026, 6, 1)


class TestAnyMonthOnTheWire(TestCase):
    """Arbitrary month text on the page, its CSV and its JSON: 200, or 400 (Norwegian page; OperationOutcome)."""

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(months_text)
    def test_never_a_500(self, text):
        from urllib.parse import quote

        client = Client()
        page = client.get("/statistikk/", {"maned": text})
        assert page.status_code in (200, 400), text
        name = quote(text, safe="")
        for suffix in (".csv", ".json"):
            response = client.get(f"/statistikk/{name}{suffix}")
            assert response.status_code in (200, 400, 404), (text, suffix)
            if suffix == ".json" and response.status_code == 400:
                assert json.loads(response.content)["resourceType"] == "OperationOutcome"


# -- any counters: the Hypothesis test of issue 13 --------------------------------------------------------------------

cells = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=28),
        st.sampled_from([str(e) for e in Event]),
        st.sampled_from(["messages", "appointments", "youth", "medicines"]),
        st.sampled_from(["", *ORGNRS]),
        st.integers(min_value=1, max_value=40),
    ),
    max_size=25,
)


def assert_no_hidden_cell_is_pinned(rows: list[dict[str, str]]) -> None:
    """What a reader of the CSV can do: each table with a total, each column, by brute force over what the marks
    allow (`test_suppression.possible_values`); lines too big to enumerate are left to the pure test."""
    from helseportal.stats.suppression import PROTECTED, SMALL, Figure
    from helseportal.stats.tests.reader import possible_values

    def figure(value: str) -> Figure:
        return (
            Figure(None, SMALL)
            if value == "< 5"
            else Figure(None, PROTECTED)
            if value == "skjult"
            else Figure(int(value))
        )

    lines: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in rows:
        lines.setdefault((row["table"], row["column"]), []).append(row)
    for cells in lines.values():
        totals = [r for r in cells if r["row"] == "total"]
        if not totals:
            continue
        parts = [figure(r["value"]) for r in cells if r["row"] != "total"]
        total = figure(totals[0]["value"])
        bound = total.value if total.value is not None else 0
        sizes = [4 if p.reason == SMALL else max(bound - 4, 1) for p in parts if p.suppressed]
        if total.suppressed or math.prod(sizes) > 200_000:
            continue
        for values in possible_values(parts, total, bound=bound):
            assert len(values) >= 2, cells


class TestAnyCounters(TestCase):
    """Random counters for May: no shown number under 5 (zero aside) in the page, the CSV or the MeasureReport."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_demo()

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(cells)
    def test_nothing_under_5_is_shown_anywhere(self, generated):
        from helseportal.organisations.models import Unit

        Counter.objects.all().delete()
        municipality = dict(Unit.objects.values_list("orgnr", "municipality_number"))
        merged: dict[tuple, int] = {}
        for day, event, service, orgnr, n in generated:
            key = (datetime.date(2026, 5, day), event, service, orgnr, municipality.get(orgnr, ""))
            merged[key] = merged.get(key, 0) + n
        Counter.objects.bulk_create(
            Counter(day=k[0], event=k[1], service=k[2], unit_orgnr=k[3], municipality=k[4], count=n)
            for k, n in merged.items()
        )
        client = Client()
        html = client.get("/statistikk/?maned=2026-05").content.decode()
        assert all(as_int(n) is None or as_int(n) == 0 or as_int(n) >= 5 for n in shown_numbers_of_page(html))
        rows = list(csv.DictReader(io.StringIO(client.get("/statistikk/2026-05.csv").content.decode())))
        assert all(r["value"] in ("< 5", "skjult") or int(r["value"]) == 0 or int(r["value"]) >= 5 for r in rows)
        assert_no_hidden_cell_is_pinned(rows)
        report = json.loads(client.get("/statistikk/2026-05.json").content)
        MeasureReport.model_validate(report)
        assert all(n == 0 or n >= 5 for n in shown_numbers_of_report(report))
        for orgnr in ORGNRS:
            assert orgnr not in html
