"""Prøvesvar's pages as the people who use them: Kari, Kari for Ola (10), Kari for Nora (15), Nora herself."""

import datetime
import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helseportal.access import youth_access
from helseportal.access.models import AuditEvent, Outcome
from helseportal.core.actor import Actor
from helseportal.core.time import OSLO
from helseportal.demo import actors, personas
from helseportal.records.models import Record
from helseportal.records.results.tests.conftest import client_as, for_child, kari, observation, send
from helseportal.records.tests.conftest import person

PAGES = ("records:results", "records:results_analyses")


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _hb(who: personas.CitizenPersona) -> Record:
    """The person's latest haemoglobin result: the key of the analysis page and a result page."""
    return Record.objects.filter(person=person(who), code="718-7").order_by("-effective").first()


def test_kari_s_results_by_date_newest_first_with_the_report_grouping_its_results(results: None):
    response = client_as(kari()).get(reverse("records:results"))
    assert response.status_code == 200
    text = _text(response)
    assert "Prøvesvar" in text
    assert "Kirkeveien legesenter" in text
    assert text.index("02.11.2026") < text.index("14.09.2026") < text.index("21.04.2026") < text.index("10.12.2024")
    assert "Resultater i Blodprøver" in text  # the report of 21.04.2026 holds its four results in a table
    report = Record.objects.get(resource_type="DiagnosticReport", person=person(personas.KARI))
    grouped = Record.objects.filter(pk__in=[int(r["reference"].split("/")[1]) for r in report.resource["result"]])
    body = response.content.decode()
    for row in grouped:  # each shown once: under its report, not again on its own
        assert body.count(reverse("records:result", args=[row.pk]) + '"') == 1


def test_values_outside_the_reference_range_are_marked_with_text(results: None):
    text = _text(client_as(kari()).get(reverse("records:results")))
    assert "11,4 g/dL" in text
    assert "Under referanseområdet" in text
    assert "Over referanseområdet" in text  # CRP marked H by the lab
    assert "referanseområde 11,7–15,3 g/dL" in text


def test_by_analysis_each_analysis_with_its_latest_value_and_the_number_of_values(results: None):
    response = client_as(kari()).get(reverse("records:results_analyses"))
    assert response.status_code == 200
    rows = {
        m.group(1).strip(): _text_of(m.group(2))
        for m in re.finditer(
            r'<a class="ds-link" href="/provesvar/analyser/\d+/">([^<]+)</a></td>(.*?)</tr>',
            response.content.decode(),
            re.S,
        )
    }
    assert set(rows) == {"CRP", "Ferritin", "Glukose", "Hemoglobin (Hb)", "Kreatinin"}
    assert rows["Hemoglobin (Hb)"].startswith("11,9 g/dL 02.11.2026")  # the latest of seven
    assert rows["Hemoglobin (Hb)"].endswith(" 7")


def _text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_an_analysis_page_has_the_trend_chart_with_the_range_as_a_band_and_the_table(results: None):
    response = client_as(kari()).get(reverse("records:results_analysis", args=[_hb(personas.KARI).pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="trend"' in body
    assert 'role="img"' in body
    assert "<polygon" in body  # the reference band
    text = _text(response)
    assert "Antall svar: 7. Enhet: g/dL." in text
    assert "Verdier etter dato" in text
    assert "21.04.2026 11,4 g/dL 11,7–15,3 g/dL Under referanseområdet" in text
    assert re.search(r"<desc[^>]*>Verdier etter dato: 10\.12\.2024: 13,2 g/dL;", body)


def test_a_result_s_page_names_the_source_and_links_its_analysis(results: None):
    row = _hb(personas.KARI)
    response = client_as(kari()).get(reverse("records:result", args=[row.pk]))
    text = _text(response)
    assert "Hemoglobin (Hb)" in text
    assert "11,9 g/dL" in text
    assert "Kilde Kirkeveien legesenter" in text
    assert reverse("records:results_analysis", args=[row.pk]) in response.content.decode()


def test_a_report_s_page_shows_its_results(results: None):
    report = Record.objects.get(resource_type="DiagnosticReport", person=person(personas.KARI))
    text = _text(client_as(kari()).get(reverse("records:result", args=[report.pk])))
    assert "Konklusjon" in text
    assert "Kreatinin 74 umol/L" in text


def test_kari_for_ola_sees_his_results_from_the_hospital_laboratory(results: None):
    client = client_as(for_child(personas.OLA))
    text = _text(client.get(reverse("records:results")))
    assert "Oslo sykehus" in text
    assert "CRP" in text
    assert "Over referanseområdet" in text
    assert client.get(reverse("records:results_analysis", args=[_hb(personas.OLA).pk])).status_code == 200
    assert client.get(reverse("records:result", args=[_hb(personas.KARI).pk])).status_code == 404  # not his


@pytest.mark.parametrize("name", PAGES)
def test_kari_for_nora_gets_the_404_and_the_denial_is_in_nora_s_log(results: None, name: str):
    response = client_as(for_child(personas.NORA)).get(reverse(name))
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="records:results:read", outcome=Outcome.DENIED)
    assert event.subject_id == person(personas.NORA).pk


@pytest.mark.parametrize("consent", [False, True])
def test_nora_herself_sees_no_results_with_or_without_youth_access(results: None, consent: bool):
    if consent:  # youth access opens vaccines, medicines and her GP, never results (access/rules.py)
        youth_access.give(actors.citizen(personas.KARI), person(personas.NORA).pk)
    client = client_as(actors.citizen(personas.NORA))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 404
    assert client.get(reverse("records:result", args=[_hb(personas.NORA).pk])).status_code == 404


def test_per_cannot_open_kari_s_result_by_its_number(results: None):
    client = client_as(actors.citizen(personas.PER))
    assert client.get(reverse("records:result", args=[_hb(personas.KARI).pk])).status_code == 404
    assert client.get(reverse("records:results_analysis", args=[_hb(personas.KARI).pk])).status_code == 404


def test_a_page_read_is_audited_with_the_results_shown(results: None):
    client_as(kari()).get(reverse("records:result", args=[_hb(personas.KARI).pk]))
    event = AuditEvent.objects.filter(action="records:results:read", outcome=Outcome.ALLOWED).latest("pk")
    assert event.resources == [f"Observation/{_hb(personas.KARI).pk}"]


def test_a_corrected_result_says_endret_and_when(gp: Actor):
    send(gp, [observation("fix", personas.KARI, 12.0)])
    corrected = datetime.datetime(2026, 6, 12, 9, 0, tzinfo=OSLO)
    with __import__("time_machine").travel(corrected):
        send(gp, [observation("fix", personas.KARI, 12.2, status="amended")])
    text = _text(client_as(kari()).get(reverse("records:results")))
    assert "12,2 g/dL" in text
    assert "Endret 12.06.2026" in text
    assert "12,0 g/dL" not in text


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.text(max_size=600), record_id=st.integers(min_value=0, max_value=10**18 - 1))
def test_a_forged_cursor_or_an_unknown_analysis_gives_a_clear_page_never_a_500(
    results: None, token: str, record_id: int
):
    client = client_as(kari())
    nul = 400 if "\x00" in token else 200  # the portal refuses a NUL in any request (core.middleware): 400
    assert client.get(reverse("records:results"), {"etter": token}).status_code == nul
    found = client.get(reverse("records:results_analysis", args=[record_id]), {"etter": token}).status_code
    assert found in (nul, 404)
    assert client.get(reverse("records:result", args=[record_id])).status_code in (200, 404)
