"""The operator's dashboard (issue 13 item 2): who reaches it (an operator; 404 for every other practitioner), the
figures through suppression in every table, chart and CSV, the filter's Norwegian messages, the commands."""

import datetime
import re

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from helseportal.access.audit.chain import record
from helseportal.access.audit.usage import LOGIN
from helseportal.access.models import AuditEvent
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.demo.operators import load_operators
from helseportal.records.tests.family import client_for
from helseportal.stats import dashboard, operators, population, queries, tasks
from helseportal.stats.forms import DashboardFilter
from helseportal.stats.models import Counter, MonthlyCounter, Operator, Population, RolledUpMonth

pytestmark = pytest.mark.django_db
URL = "/helsepersonell/statistikk/"
OSLO_HFU, OSLO_SHT = personas.HFU_OSLO.orgnr, personas.SHT_OSLO.orgnr
GP, STATION = personas.MAJORSTUEN_GP.orgnr, personas.HEALTH_STATION.orgnr


@pytest.fixture
def demo(db: None) -> None:
    load_demo()
    load_operators()


def tone():
    return client_for(actors.clinician(personas.TONE))


def cell(day: datetime.date, event: str, service: str, orgnr: str = "", municipality: str = "", detail: str = "",
         count: int = 1) -> Counter:  # fmt: skip
    return Counter(day=day, event=event, service=service, unit_orgnr=orgnr, municipality=municipality, detail=detail,
                   count=count)  # fmt: skip


@pytest.fixture
def counted(demo: None) -> datetime.date:
    """This month: messages 1 234 page views, vaccines 3 (suppressed); a youth unit's messages and appointments."""
    day = today()
    Counter.objects.bulk_create([
        cell(day, "view", "messages", count=1234),
        cell(day, "view", "vaccines", count=3),
        cell(day, "view", "youth", OSLO_HFU, "0301", count=40),
        cell(day, "message_sent", "youth", OSLO_SHT, "0301", "citizen", count=7),
        cell(day, "message_sent", "youth", OSLO_HFU, "0301", "citizen", count=2),
        cell(day, "message_sent", "youth", OSLO_HFU, "0301", "unit", count=9),
        cell(day, "appointment_booked", "youth", OSLO_HFU, "0301", "hfu_conversation", count=12),
        cell(day, "view", "gpservices", GP, "0301", count=8),
        cell(day - datetime.timedelta(days=40), "view", "messages", count=500),
    ])  # fmt: skip
    return day


def test_an_operator_sees_the_dashboard_and_reading_it_is_audited(counted: datetime.date):
    response = tone().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bruksstatistikk" in html
    assert "1\u00a0234" in html  # messages' page views this month
    assert 'role="img"' in html
    assert "<title" in html
    event = AuditEvent.objects.get(action=dashboard.READ)
    assert event.subject_id is None
    assert event.actor_hpr_number == personas.TONE.hpr_number


@pytest.mark.parametrize("persona", [personas.LARS, personas.METTE, personas.INGRID, personas.SIV])
def test_a_practitioner_who_is_no_operator_gets_the_404_page(demo: None, persona: personas.PractitionerPersona):
    client = client_for(actors.clinician(persona))
    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}csv/mest-brukt/").status_code == 404
    assert not AuditEvent.objects.filter(action=dashboard.READ).exists()


def test_a_revoked_operator_gets_404_and_a_citizen_never_reaches_the_page(demo: None):
    operators.revoke(personas.TONE.hpr_number)
    assert tone().get(URL).status_code == 404
    citizen = client_for(actors.citizen(personas.KARI)).get(URL)
    assert citizen.status_code in (302, 403, 404)
    assert not AuditEvent.objects.filter(action=dashboard.READ).exists()


def test_anyone_not_logged_in_as_a_practitioner_is_sent_to_the_helseid_login(demo: None):
    """The house rule for staff pages (RouteGuard): a redirect to HelseID, for a citizen, a parent for a child and an
    anonymous visitor alike; none of them reaches the page or writes a read."""
    from django.test import Client

    from helseportal.core.actor import Role
    from helseportal.identity.models import Person

    kari = actors.citizen(personas.KARI)
    ola = Person.objects.get(pid=personas.OLA.pid)
    for client in (client_for(kari), client_for(kari.acting_for(ola.pk, Role.PARENT)), Client()):
        for path in (URL, f"{URL}csv/ungdom/", "/helsepersonell/statistikk/bruk/"):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response["Location"].startswith("/login/helseid/"), path
    assert not AuditEvent.objects.filter(action=dashboard.READ).exists()


def test_a_cell_under_five_is_suppressed_in_every_table_chart_and_csv(counted: datetime.date):
    client = tone()
    html = client.get(URL).content.decode()
    # vaccines' 3 page views: "< 5" in the table and in the chart's text and description, never the number
    assert re.search(r"Vaksiner</th><td>&lt; 5</td>", html)
    svg = html[html.index('id="mest-brukt-graf"') :]
    svg = svg[: svg.index("</svg>")]
    assert "Vaksiner: &lt; 5" in svg
    assert ">&lt; 5</text>" in svg
    assert "Vaksiner: 3" not in svg
    assert ">3</text>" not in svg
    # messages to the health station (2 from citizens at the HFU) are under 5: the youth table says "< 5"
    assert re.search(r"Meldinger til helsestasjonen</th><td>&lt; 5</td>", html)
    for table in ("mest-brukt", "utvikling", "bruk", "ungdom"):
        response = client.get(f"{URL}csv/{table}/")
        assert response.status_code == 200
        body = response.content.decode("utf-8")
        assert body.startswith("\ufeff")
        assert response["Content-Type"].startswith("text/csv")
        for row in body.lstrip("\ufeff").splitlines()[1:]:
            for value in row.split(";")[1:]:
                shown = value in ("< 5", "skjult", "0", "–", "bare for hele landet") or value.endswith("%")
                assert shown or int(value) >= 5


def test_the_youth_figures_and_adoption(counted: datetime.date):
    month = queries.Period.months(counted, counted)
    youth = dashboard._youth(month, counted, counted, "")
    values = {row[0]: dashboard.cell_csv(row[1]) for row in youth.rows}
    assert values["Meldinger i alt"] == "18"
    assert values["Timeavtaler"] == "12"
    # 2 to the health station is hidden; the school nurse's 7 too, or 18 - 9 - 7 would give it
    assert values["Meldinger til helsesykepleier"] == "skjult"
    assert values["Meldinger til helsestasjonen"] == "< 5"
    assert values["Meldinger fra tjenestene"] == "9"
    adoption = {row[0]: row[1] for row in dashboard._adoption(month, counted, "").rows}
    assert adoption["Kommuner med ungdomstjenestene i bruk"] == 1
    assert population.coverage({"0301"}, counted.year)[0] == population.latest(counted.year)["0301"][1]


def test_the_youth_table_protects_a_small_cell_against_its_total(demo: None):
    day = today()
    Counter.objects.bulk_create([
        cell(day, "message_sent", "youth", OSLO_SHT, "0301", "citizen", count=1),
        cell(day, "message_sent", "youth", STATION, "0301", "citizen", count=9),
    ])  # fmt: skip
    body = tone().get(f"{URL}csv/ungdom/").content.decode("utf-8-sig")
    values = dict(line.split(";", 1) for line in body.splitlines()[1:])
    assert values["Meldinger til helsesykepleier"] == "< 5"
    # 10 in all less 9 to the health station would give the school nurse's 1: one more is hidden, as «skjult»
    assert "skjult" in (values["Meldinger i alt"], values["Meldinger til helsestasjonen"])
    assert "9" not in values.values() or "10" not in values.values()


def test_with_a_municipality_chosen_page_views_are_the_whole_countrys_and_say_so(demo: None):
    Counter.objects.create(day=today(), event="view", service="messages", count=100)
    html = tone().get(f"{URL}?kommune=0301").content.decode()
    top = html[html.index('id="mest-brukt-heading"') : html.index('id="utvikling-heading"')]
    assert "Ingen tall for denne perioden" not in top
    assert "100</td>" in top
    assert "Sidevisninger telles bare for hele landet" in top
    trend = html[html.index('id="utvikling-heading"') : html.index('id="bruk-heading"')]
    assert "Sidevisninger telles bare for hele landet" in trend
    body = tone().get(f"{URL}csv/mest-brukt/?kommune=0301").content.decode("utf-8-sig")
    assert body.splitlines()[0] == "Tjeneste;Sidevisninger, hele landet"
    assert "100" in body


def test_the_order_of_hidden_services_tells_nothing_of_their_size(demo: None):
    day = today()
    Counter.objects.bulk_create([cell(day, "view", "vaccines", count=4), cell(day, "view", "results", count=1),
                                 cell(day, "view", "messages", count=20)])  # fmt: skip
    body = tone().get(f"{URL}csv/mest-brukt/").content.decode("utf-8-sig")
    names = [line.split(";")[0] for line in body.splitlines()[1:]]
    assert names == ["Meldinger", "Prøvesvar", "Vaksiner"]  # the hidden ones by name, not by their size


def test_the_population_is_hidden_with_a_hidden_number_of_municipalities(counted: datetime.date):
    month = queries.Period.months(counted, counted)
    adoption = {row[0]: dashboard.cell_csv(row[1]) for row in dashboard._adoption(month, counted, "").rows}
    assert adoption["Kommuner med ungdomstjenestene i bruk"] == "< 5"
    assert adoption["Innbyggere i disse kommunene"] == "–"  # the sum would tell which municipalities
    assert adoption["Andel av befolkningen (kommunene med folketall)"] == "–"


def test_an_empty_table_shows_a_page_with_no_figures(demo: None):
    response = tone().get(URL)
    assert response.status_code == 200
    assert "Ingen tall for denne perioden." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("fra=2026-13", "Skriv måneden som ÅÅÅÅ-MM"),
        ("fra=abc&til=2026-05", "Skriv måneden som ÅÅÅÅ-MM"),
        ("fra=2026-05&til=2026-01", "Fra-måneden må være før eller lik til-måneden."),
        ("fra=2020-01&til=2026-01", "Velg høyst 36 måneder."),
        ("til=2099-01", "Velg en måned som har begynt."),
        ("kommune=9999", "Velg en kommune fra listen."),
        ("kommune=%27%3B--", "Velg en kommune fra listen."),
        ("tjeneste=ukjent", "Velg tjenester fra listen."),
    ],
)
def test_bad_filter_input_is_a_norwegian_message_never_a_500(demo: None, query: str, message: str):
    response = tone().get(f"{URL}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert tone().get(f"{URL}csv/bruk/?{query}").status_code == 400


def test_the_filter_narrows_to_a_municipality_and_months(counted: datetime.date):
    last = counted.replace(day=1)
    response = tone().get(f"{URL}?fra={last:%Y-%m}&til={last:%Y-%m}&kommune=0301&tjeneste=youth")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sidevisninger telles bare for hele landet" in html  # page views have no unit: the country's, said so
    assert "Sidevisninger per måned for de valgte tjenestene" in html
    assert tone().get(f"{URL}csv/ukjent/").status_code == 404


@given(st.integers(2000, 2040), st.integers(-5, 20))
def test_a_month_is_read_exactly_when_it_is_a_real_month_that_has_begun(year: int, month: int):
    form = DashboardFilter({"til": f"{year}-{month:02d}"}, municipalities=[], services=[])
    real = 1 <= month <= 12 and datetime.date(year, month, 1) <= today().replace(day=1)
    assert form.is_valid() == real


def test_the_operator_command_grants_revokes_and_lists_audited(demo: None, capsys: pytest.CaptureFixture[str]):
    call_command("stats", "operator", "grant", "1234567")
    assert Operator.objects.get(hpr_number="1234567").active
    call_command("stats", "operator", "list")
    assert "1234567\tactive" in capsys.readouterr().out
    call_command("stats", "operator", "revoke", "1234567")
    assert not Operator.objects.get(hpr_number="1234567").active
    with pytest.raises(CommandError):
        call_command("stats", "operator", "revoke", "1234567")
    with pytest.raises(CommandError, match="sifre"):
        call_command("stats", "operator", "grant", "12ab")
    actions = list(AuditEvent.objects.filter(resources=["Operator/hpr-1234567"]).values_list("action", flat=True))
    assert actions == [operators.GRANTED, operators.REVOKED]


SSB = """"07459: Befolkning, etter region og år"

"region";"år";"Personer"
"0"  Hele landet";"2025";5594340
"0301 Oslo";"2025";717710
"K-4601 Bergen";"2025";291940
"5001 Trondheim - Tråante";"2025";..
"""


def test_population_import_reads_table_07459_and_replaces_its_years(db: None, tmp_path):
    file = tmp_path / "07459.csv"
    file.write_text(SSB, encoding="utf-8")
    call_command("stats", "population", "import", str(file))
    assert dict(Population.objects.values_list("municipality", "population")) == {"0301": 717710, "4601": 291940}
    assert population.coverage({"0301"}, 2026) == (717710, 717710 + 291940)
    file.write_text('"region";"år";"Personer"\n"0301 Oslo";"2025";1\n', encoding="utf-8")
    call_command("stats", "population", "import", str(file))
    assert Population.objects.get().population == 1
    file.write_text("hva;er;dette\n1;2;3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="region"):
        call_command("stats", "population", "import", str(file))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('"0301 Oslo";"2025";"²"', "Linje 2: året og folkemengden må være hele tall"),
        ('"0301 Oslo";"2025";"①"', "Linje 2: året og folkemengden må være hele tall"),
        ('"0301 Oslo";"2025";"717٧10"', "Linje 2: året og folkemengden må være hele tall"),
        ('"0301 Oslo";"2025";"99999999999"', "Linje 2: folkemengden er for stor"),
        (f'"0301 {"O" * 101}";"2025";"717710"', "Linje 2: kommunenavnet er lengre enn 100 tegn"),
    ],
)
def test_population_import_refuses_a_bad_row_in_norwegian(db: None, row: str, message: str):
    with pytest.raises(population.Invalid, match=message):
        population.import_text(f'"region";"år";"Personer"\n{row}\n')
    assert not Population.objects.exists()


def test_population_import_reads_rows_that_end_with_a_separator(db: None):
    population.import_text('"region";"år";"Personer";\n"0301 Oslo";"2025";717710;\n"4601 Bergen";"2025";291940;\n')
    assert dict(Population.objects.values_list("municipality", "population")) == {"0301": 717710, "4601": 291940}


def test_the_demo_population_file_says_it_is_synthetic():
    assert "SYNTETISKE TALL" in population.DEMO_FILE.read_text(encoding="utf-8").splitlines()[0]


def test_reading_never_sums_a_month_the_task_does_and_late_counts_still_show(demo: None):
    from helseportal.stats import services

    april = datetime.date(2026, 4, 1)  # closed on the suite's clock (10 June 2026)
    Counter.objects.bulk_create([cell(april, "view", "messages", count=10), cell(april, "view", "youth", count=7)])
    period = queries.Period.months(april, april)
    assert queries.by_service(period) == {"messages": 10, "youth": 7}  # from the daily rows
    assert not RolledUpMonth.objects.exists()  # a read writes nothing
    assert not MonthlyCounter.objects.exists()
    tasks.roll_up_months.call()  # the task worker's job
    assert MonthlyCounter.objects.get(day=april, service="messages").count == 10
    assert queries.by_service(period) == {"messages": 10, "youth": 7}
    # A process flushes a late count into the summed month: the month is read from its daily rows again at once
    services.discard()
    services._buffer.cells[(april + datetime.timedelta(days=29), "view", "vaccines", "", "", "")] += 9
    services.flush()
    assert queries.by_service(period) == {"messages": 10, "vaccines": 9, "youth": 7}
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path=tasks.roll_up_months.module_path).exists()  # the flush asked for it
    tasks.roll_up_months.call()
    assert MonthlyCounter.objects.get(day=april, service="vaccines").count == 9
    assert queries.by_service(period) == {"messages": 10, "vaccines": 9, "youth": 7}


def test_a_closed_month_is_read_from_its_monthly_sum_with_the_same_figures(demo: None):
    april = datetime.date(2026, 4, 1)  # closed on the suite's clock (10 June 2026); June is open
    june = today()
    Counter.objects.bulk_create([
        cell(april, "view", "messages", count=10),
        cell(april + datetime.timedelta(days=20), "view", "messages", count=15),
        cell(april, "view", "youth", OSLO_HFU, "0301", count=7),
        cell(june, "view", "messages", count=6),
    ])  # fmt: skip
    period = queries.Period.months(april, june)
    assert queries.monthly_by_service(period) == {
        (april, "messages"): 25, (april, "youth"): 7, (june.replace(day=1), "messages"): 6,
    }  # fmt: skip
    tasks.roll_up_months.call()  # the task worker sums the closed months with counters (May has none)
    assert list(RolledUpMonth.objects.values_list("month", flat=True).order_by("month")) == [april]
    assert queries.monthly_by_service(period)[(april, "messages")] == 25
    assert MonthlyCounter.objects.get(day=april, service="messages").count == 25
    assert queries.by_service(period) == {"messages": 31, "youth": 7}
    assert queries.units_in_use(period) == {"hfu": 1}
    assert queries.municipalities_in_use(period, ["hfu"]) == {"0301"}
    Counter.objects.create(day=april, event="view", service="vaccines", count=9)  # an import into a closed month
    assert "vaccines" not in queries.by_service(period)
    queries.rebuild_rollups()
    assert queries.by_service(period)["vaccines"] == 9


def test_adoption_counts_the_practitioners_who_logged_in_per_kind_of_their_units(counted: datetime.date):
    for persona in (personas.LARS, personas.LARS, personas.METTE, personas.INGRID):
        record(actors.clinician(persona), LOGIN, subject_id=None)
    month = queries.Period.months(counted, counted)
    adoption = {row[0]: row[1] for row in dashboard._adoption(month, counted, "").rows}
    assert adoption["Helsepersonell som logget inn"] == 3
    assert adoption["Helsepersonell som logget inn: Fastlegekontor"] == 1  # Lars twice: one practitioner
    assert adoption["Helsepersonell som logget inn: Skolehelsetjeneste"] == 1
    assert adoption["Helsepersonell som logget inn: Sykehus"] == 0
    shown = {row[0]: dashboard.cell_csv(row[1]) for row in dashboard._adoption(month, counted, "").rows}
    assert shown["Helsepersonell som logget inn: Fastlegekontor"] == "< 5"  # through suppression like every figure
    oslo = {row[0]: row[1] for row in dashboard._adoption(month, counted, "0301").rows}
    assert oslo["Helsepersonell som logget inn"] == "bare for hele landet"
