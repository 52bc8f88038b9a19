"""Henvisninger's pages as each reader sees them: Kari herself (an appointment given, a deadline passed), Kari for
Ola (under 12), Kari for Nora (15: hers at her address without the ones she has reserved; a parent not at her
address: 404 and an audited denial), Nora without and with youth access (referrals are not among its areas: 404);
the passed-deadline box at the deadline's edge; forged cursors and unknown ids."""

import datetime
import re

import pytest
from django.test import Client

from helseportal.access import youth_access
from helseportal.access.models import AuditEvent, Outcome, PowerOfAttorney
from helseportal.access.tests.test_policy import child_of
from helseportal.core.time import OSLO, today
from helseportal.identity.models import Person
from helseportal.records.models import Record
from helseportal.records.referrals.tests.conftest import service_request
from helseportal.records.tests.family import Family, citizen, client_for, parent

HELFO_BOX = "Fristen for helsehjelp er passert"


def text(response) -> str:
    """The page's main content as a reader sees it: tags removed, whitespace collapsed."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def detail(family: Family, reason: str) -> str:
    row = Record.objects.get(person=family.kari, resource_type="ServiceRequest", resource__reasonCode__0__text=reason)
    return f"/henvisninger/{row.pk}/"


@pytest.mark.dates
def test_kari_sees_her_referrals_newest_first_with_status_and_deadline(family: Family):
    response = client_for(citizen(family.kari)).get("/henvisninger/")
    assert response.status_code == 200
    body = text(response)
    knee, headache = body.index("Smerter i høyre kne"), body.index("Hodepine som har blitt verre")
    assert knee < headache  # authored 20 April before 2 March
    assert (
        "Henvist til Oslo sykehus, ortopedisk poliklinikk Henvist 20. april 2026 Status Time tildelt: 2. juli 2026 "
        "kl. 09:30 Frist for helsehjelp 31. august 2026" in body
    )
    assert "Status Rett til helsehjelp Frist for helsehjelp 15. mai 2026 (fristen er passert)" in body
    assert "Tung pust" not in body  # Ola's is his


@pytest.mark.dates
def test_the_passed_deadline_says_what_she_can_do_and_cites_helfo(family: Family):
    response = client_for(citizen(family.kari)).get(detail(family, "Hodepine som har blitt verre det siste halve året"))
    body = text(response)
    assert HELFO_BOX in body
    assert "Du skulle ha fått helsehjelp senest 15. mai 2026." in body
    assert "Ring Helfos fristbruddtelefon på 23 32 70 03" in body
    assert 'href="https://www.helsenorge.no/rettigheter/dine-rettigheter-ved-fristbrudd"' in response.content.decode()
    assert "pasient- og brukerrettighetsloven § 2-2" in body
    knee = text(client_for(citizen(family.kari)).get(detail(family, "Smerter i høyre kne i flere måneder")))
    assert HELFO_BOX not in knee
    assert "Tildelt time 2. juli 2026 kl. 09:30" in knee


@pytest.mark.dates
@pytest.mark.parametrize(
    ("deadline_days", "appointment_days", "shown"),
    [
        (0, None, False),  # the deadline day itself is still within the deadline
        (-1, None, True),  # the day after: passed
        (-1, -2, False),  # an appointment before the deadline: care began in time
        (-1, 0, True),  # an appointment only after the deadline: a breach too (Helfo)
        (1, None, False),
    ],
)
def test_the_box_shows_from_the_day_after_the_deadline(
    family: Family, deadline_days: int, appointment_days: int | None, shown: bool
):
    day = today()
    appointment = None
    if appointment_days is not None:
        appointment = datetime.datetime.combine(day + datetime.timedelta(days=appointment_days), datetime.time(9), OSLO)
    row = service_request(
        family.kari, "Kant", day - datetime.timedelta(days=60), deadline=day + datetime.timedelta(days=deadline_days),
        appointment=appointment,
    )  # fmt: skip
    body = text(client_for(citizen(family.kari)).get(f"/henvisninger/{row.pk}/"))
    assert (HELFO_BOX in body) == shown


def test_a_completed_or_withdrawn_referral_never_shows_the_box(family: Family):
    day = today()
    for status, words in (("completed", "Fullført"), ("revoked", "Avsluttet")):
        row = service_request(family.kari, status, day - datetime.timedelta(days=90),
                              deadline=day - datetime.timedelta(days=10), status=status)  # fmt: skip
        body = text(client_for(citizen(family.kari)).get(f"/henvisninger/{row.pk}/"))
        assert HELFO_BOX not in body
        assert f"Status {words}" in body


def test_kari_for_ola_sees_his_received_referral_and_the_read_is_in_his_log(family: Family):
    response = client_for(parent(family.kari, family.ola)).get("/henvisninger/")
    assert response.status_code == 200
    body = text(response)
    assert "Tung pust ved anstrengelse, spørsmål om astma" in body
    assert "Status Mottatt" in body
    assert "Hodepine" not in body
    event = AuditEvent.objects.get(action="records:referrals:read")
    assert (event.subject_id, event.actor_person_id, event.outcome) == (family.ola.pk, family.kari.pk, Outcome.ALLOWED)
    olas = Record.objects.filter(person=family.ola, resource_type="ServiceRequest")
    assert sorted(event.resources) == sorted(f"ServiceRequest/{row.pk}" for row in olas)
    row = olas.get()
    one = text(client_for(parent(family.kari, family.ola)).get(f"/henvisninger/{row.pk}/"))
    assert "innen 10 virkedager" in one


def test_kari_for_nora_sees_her_referrals_but_never_a_reserved_one(family: Family):
    mine = service_request(family.nora, "Noras henvisning", today())
    hidden = service_request(family.nora, "Noras reserverte henvisning", today(), guardian_reserved=True)
    kari = client_for(parent(family.kari, family.nora))
    response = kari.get("/henvisninger/")
    assert response.status_code == 200
    body = text(response)
    assert "Noras henvisning" in body
    assert "Noras reserverte henvisning" not in body
    assert "Noras henvisning" in text(kari.get(f"/henvisninger/{mine.pk}/"))
    assert kari.get(f"/henvisninger/{hidden.pk}/").status_code == 404  # as if it did not exist
    events = AuditEvent.objects.filter(action="records:referrals:read", outcome=Outcome.ALLOWED)
    assert {(e.subject_id, e.actor_person_id) for e in events} == {(family.nora.pk, family.kari.pk)}
    named = {resource for e in events for resource in e.resources}
    assert f"ServiceRequest/{mine.pk}" in named
    assert f"ServiceRequest/{hidden.pk}" not in named


def test_a_parent_not_at_nora_s_address_is_refused_and_the_refusal_is_in_nora_s_log(family: Family):
    mine = service_request(family.nora, "Noras henvisning", today())
    Person.objects.filter(pk=family.kari.pk).update(street_address="Annen gate 1", postcode="0150")
    for path in ("/henvisninger/", f"/henvisninger/{mine.pk}/"):
        response = client_for(parent(family.kari, family.nora)).get(path)
        assert response.status_code == 404
        assert "Noras henvisning" not in response.content.decode()
    events = AuditEvent.objects.filter(action="records:referrals:read")
    assert {(e.subject_id, e.outcome) for e in events} == {(family.nora.pk, Outcome.DENIED)}
    assert events.count() == 2


def test_nora_herself_is_not_let_in_without_or_with_youth_access(family: Family):
    assert client_for(citizen(family.nora)).get("/henvisninger/").status_code == 404
    youth_access.give(citizen(family.kari), family.nora.pk)
    assert client_for(citizen(family.nora)).get("/henvisninger/").status_code == 404


def test_an_unknown_or_foreign_id_is_404(family: Family):
    kari = client_for(citizen(family.kari))
    olas = Record.objects.get(person=family.ola, resource_type="ServiceRequest")
    assert kari.get(f"/henvisninger/{olas.pk}/").status_code == 404  # Ola's, but Kari acts for herself
    assert kari.get("/henvisninger/999999999/").status_code == 404
    assert kari.get("/henvisninger/99999999999999999999999/").status_code == 404
    withdrawn = service_request(family.kari, "Feilregistrert", today(), entered_in_error=True)
    assert kari.get(f"/henvisninger/{withdrawn.pk}/").status_code == 404


@pytest.mark.parametrize("token", ["x", "gAAAAA" + "A" * 80, "a" * 5000, "æøå", "%00", "<script>"])
def test_a_forged_cursor_gives_the_first_page(family: Family, token: str):
    response = client_for(citizen(family.kari)).get("/henvisninger/", {"etter": token})
    assert response.status_code == 200
    assert "Smerter i høyre kne" in text(response)


def test_the_list_pages_by_cursor(family: Family):
    start = datetime.date(2020, 1, 1)
    for n in range(55):
        service_request(family.per, f"Henvisning nr {n:02d}", start + datetime.timedelta(days=n))
    per = client_for(citizen(family.per))
    first = per.get("/henvisninger/").content.decode()
    assert "Henvisning nr 54" in first
    assert "Henvisning nr 04" not in first
    token = re.search(r'href="/henvisninger/\?etter=([^"]+)"', first)
    assert token is not None
    second = per.get(f"/henvisninger/?etter={token.group(1)}").content.decode()
    assert "Henvisning nr 04" in second
    assert "Henvisning nr 05" not in second


def test_only_get_and_only_logged_in(family: Family):
    assert client_for(citizen(family.kari)).post("/henvisninger/").status_code == 405
    assert Client().get("/henvisninger/").status_code in (302, 303)


@pytest.mark.parametrize(
    ("years", "at_address", "power_for", "sees"),
    [
        (5, True, "", True),  # under 12 at her address: all
        (5, False, "", False),  # under 12 elsewhere: nothing
        (12, True, "", True),  # 12–15: open at her address (issue 11 item 7, access/rules.py) …
        (15, True, "", True),
        (12, False, "", False),  # … and closed when no parent lives there
        (15, False, "", False),
        (16, True, "", False),  # from 16 a parent has no access of her own …
        (16, True, "referrals", True),  # … but a power of attorney for the area lets her in
        (16, True, "vaccines", False),
    ],
)
def test_a_parent_per_age_band_address_and_power(
    family: Family, years: int, at_address: bool, power_for: str, sees: bool
):
    child = child_of(family.kari, years)
    if not at_address:
        Person.objects.filter(pk=child.pk).update(street_address="Andre vei 2", postcode="0150")
    if power_for:
        PowerOfAttorney.objects.create(giver=child, receiver=family.kari, area=power_for, valid_from=today())
    service_request(child, "Barnets henvisning", today() - datetime.timedelta(days=3))
    response = client_for(parent(family.kari, child)).get("/henvisninger/")
    assert response.status_code == (200 if sees else 404)
    assert ("Barnets henvisning" in response.content.decode()) == sees
