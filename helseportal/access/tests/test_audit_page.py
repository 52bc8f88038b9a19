"""The page "Hvem har sett opplysningene mine": who saw what and when, filtered, also for a child."""

import datetime
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helseportal.access import audit
from helseportal.access.models import AuditEvent, Outcome
from helseportal.access.tests.audit_testing import Cast, cast_fixture, practitioner, write  # noqa: F401 - fixtures
from helseportal.access.views import audit as audit_views
from helseportal.core.actor import Actor
from helseportal.core.routes import Level, route_level
from helseportal.core.testing import log_in
from helseportal.demo import personas

UTC = datetime.UTC


@contextmanager
def clock_at(monkeypatch: pytest.MonkeyPatch, moment: datetime.datetime):
    with monkeypatch.context() as patch:
        patch.setattr(audit.chain.timezone, "now", lambda: moment)
        yield


def page(client, actor: Actor, **query: str):
    log_in(client, actor)
    return client.get(reverse("audit:log"), query)


def table(response) -> str:
    """The log's table alone: the header, the filter and its select also hold names."""
    html = response.content.decode()
    return html[html.index("<table") : html.index("</table>")] if "<table" in html else ""


def test_it_lists_who_saw_the_citizens_data_newest_first_in_oslo_time(client, cast: Cast, monkeypatch):
    with clock_at(monkeypatch, datetime.datetime(2026, 3, 10, 23, 30, tzinfo=UTC)):
        audit.record(cast.mette, "profile:read", subject_id=cast.kari.person_id)
    with clock_at(monkeypatch, datetime.datetime(2026, 7, 1, 8, 5, tzinfo=UTC)):
        audit.record(cast.per, "profile:read", subject_id=cast.kari.person_id, outcome=Outcome.DENIED)
    html = page(client, cast.kari).content.decode()
    assert '<h1 class="ds-heading" data-size="xl">Hvem har sett opplysningene mine</h1>' in html
    mette_row = html.index("Mette Berg (HPR 9144889), Frogner helsestasjon")
    per_row = html.index("Per Hansen")
    assert per_row < mette_row, "newest first"
    assert "11.03.2026 00:30" in html  # 23:30 UTC is past midnight in Oslo (CET)
    assert "01.07.2026 10:05" in html  # summer time: UTC+2
    assert "Så personopplysninger og kontaktinformasjon" in html
    assert "Avvist" in html
    assert "Tillatt" in html


def test_it_never_shows_another_persons_log(client, cast: Cast):
    audit.record(cast.mette, "profile:read", subject_id=cast.per.person_id)
    html = page(client, cast.kari).content.decode()
    assert "Mette Berg" not in html


def test_it_hides_the_citizens_own_use_until_asked(client, cast: Cast):
    write(cast.kari, 1, subject_id=cast.kari.person_id, action="profile:contact:updated")
    assert "Endret kontaktinformasjon" not in page(client, cast.kari).content.decode()
    html = page(client, cast.kari, include_own="on").content.decode()
    assert "Endret kontaktinformasjon" in html
    assert "Så hvem som har sett opplysningene" in html  # this very visit, audited before the read


def test_reading_the_page_is_audited_in_the_same_request(client, cast: Cast):
    page(client, cast.kari_for_ola)
    event = AuditEvent.objects.get(action="audit:log:read")
    assert (event.subject_id, event.actor_person_id, event.on_behalf_of_id) == (
        cast.ola_id,
        cast.kari.person_id,
        cast.ola_id,
    )


def test_it_filters_by_oslo_dates(client, cast: Cast, monkeypatch):
    with clock_at(monkeypatch, datetime.datetime(2026, 3, 10, 23, 30, tzinfo=UTC)):  # 11 March in Oslo
        audit.record(cast.mette, "profile:read", subject_id=cast.kari.person_id)
    with clock_at(monkeypatch, datetime.datetime(2026, 3, 12, 12, 0, tzinfo=UTC)):
        audit.record(cast.per, "profile:read", subject_id=cast.kari.person_id)
    only_11th = table(page(client, cast.kari, date_from="2026-03-11", date_to="2026-03-11"))
    assert "Mette Berg" in only_11th
    assert "Per Hansen" not in only_11th
    until_10th = page(client, cast.kari, date_to="10.03.2026")
    assert table(until_10th) == ""
    assert "Ingen hendelser passer til filteret." in until_10th.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2026-03-12", "date_to": "2026-03-11"}, "«Til dato» kan ikke være før «Fra dato»."),
        ({"date_from": "i går"}, "Skriv datoen som dd.mm.åååå, for eksempel 17.05.2026."),
        ({"date_to": "31.02.2026"}, "Skriv datoen som dd.mm.åååå, for eksempel 17.05.2026."),
        ({"date_from": "0001-01-01"}, "Velg en dato mellom 01.01.1900 og 31.12.2999."),
        ({"date_to": "9999-12-31"}, "Velg en dato mellom 01.01.1900 og 31.12.2999."),
        ({"who": "person:999999"}, "Velg et gyldig valg"),
    ],
)
def test_a_bad_filter_gets_a_norwegian_message_not_an_error_page(client, cast: Cast, query, message):
    write(cast.mette, 1, subject_id=cast.kari.person_id)
    response = page(client, cast.kari, **query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert table(response) == "", "no rows for a filter that could not be read"


def test_it_filters_by_person_or_organisation_from_the_log_itself(client, cast: Cast):
    lars = practitioner(personas.LARS, personas.MAJORSTUEN_GP)
    write(cast.mette, 1, subject_id=cast.kari.person_id)
    write(lars, 1, subject_id=cast.kari.person_id)
    first = page(client, cast.kari)
    options = {label for value, label in _options(first)}
    assert {"Mette Berg (HPR 9144889)", "Lars Bakken (HPR 9100023)", "Frogner helsestasjon"} <= options
    unit_value = next(value for value, label in _options(first) if label == "Kirkeveien legesenter")
    html = table(page(client, cast.kari, who=unit_value))
    assert "Lars Bakken (HPR 9100023)" in html
    assert "Mette Berg" not in html


def _options(response) -> list[tuple[str, str]]:
    return [choice for _group, members in response.context["form"].fields["who"].choices[1:] for choice in members]


def test_a_parent_acting_for_a_youth_never_sees_what_the_youth_services_hid(client, cast: Cast):
    ingrid = practitioner(personas.INGRID, personas.HFU_OSLO)
    lars = practitioner(personas.LARS, personas.MAJORSTUEN_GP)
    audit.record(ingrid, "appointments:list:read", subject_id=cast.nora_id, hidden_from_representatives=True)
    audit.record(lars, "appointments:appointment:read", subject_id=cast.nora_id)
    html = page(client, cast.kari_for_nora, include_own="on").content.decode()
    assert "Du ser loggen til Nora Nordmann" in html
    assert "Lars Bakken (HPR 9100023)" in html
    # Not as a row, and not as a name in the filter's select either.
    assert "Ingrid" not in html
    assert "Helsestasjon for ungdom" not in html


def test_the_youth_herself_would_see_the_hidden_event(cast: Cast):
    from helseportal.access.queries.log import visible_events

    ingrid = practitioner(personas.INGRID, personas.HFU_OSLO)
    audit.record(ingrid, "profile:read", subject_id=cast.nora_id, hidden_from_representatives=True)
    nora = Actor(role=cast.kari.role, person_id=cast.nora_id, subject_id=cast.nora_id)
    assert visible_events(nora).count() == 1
    assert visible_events(cast.kari_for_nora).count() == 0


def test_events_about_nobody_are_shown_to_nobody(cast: Cast):
    from helseportal.access.queries.log import visible_events
    from helseportal.core.actor import ANONYMOUS

    audit.record(ANONYMOUS, "identity:login:failed", subject_id=None, outcome=Outcome.DENIED, reason="nonce_mismatch")
    assert not visible_events(ANONYMOUS, include_own=True).exists()


def test_it_shows_fifty_events_a_page(client, cast: Cast):
    write(cast.mette, 60, subject_id=cast.kari.person_id)
    first = page(client, cast.kari)
    second = page(client, cast.kari, page="2")
    assert (len(first.context["rows"]), len(second.context["rows"])) == (50, 10)
    assert "Side 1 av 2" in first.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_log(client, cast: Cast):
    lars = practitioner(personas.LARS, personas.MAJORSTUEN_GP)
    write(cast.mette, 3, subject_id=cast.kari.person_id)
    write(lars, 2, subject_id=cast.kari.person_id)
    log_in(client, cast.kari)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("audit:log"), {"include_own": "on"}).status_code == 200
    write(cast.mette, 30, subject_id=cast.kari.person_id)
    write(lars, 25, subject_id=cast.kari.person_id)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("audit:log"), {"include_own": "on"}).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_no_foedselsnummer_appears_on_the_page(client, cast: Cast):
    write(cast.mette, 1, subject_id=cast.kari.person_id)
    html = page(client, cast.kari_for_ola, include_own="on").content.decode()
    assert not [p.pid for p in personas.CITIZENS + personas.PRACTITIONERS if p.pid in html]


def test_the_page_needs_high_assurance_and_answers_only_get(client, cast: Cast):
    assert route_level(audit_views.audit_log) == Level.HIGH
    log_in(client, cast.kari)
    assert client.post(reverse("audit:log")).status_code == 405
