"""The record services' page frame (`records/pages.py`): who may see, what is shown, pages by cursor, the audit."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helseportal.access.models import AuditEvent, Outcome, ServiceArea
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.errors import NotFound
from helseportal.core.time import OSLO
from helseportal.demo import personas
from helseportal.records import pages
from helseportal.records.models import Record
from helseportal.records.tests.conftest import person, unit

RESULTS = pages.Family(ServiceArea.RESULTS.value, "Prøvesvar", ("Observation",))
START = datetime.datetime(2026, 1, 1, 8, 0, tzinfo=OSLO)


def _records(who: personas.CitizenPersona, count: int, *, same_time: bool = False, **fields: object) -> list[Record]:
    owner, source = person(who), unit(personas.MAJORSTUEN_GP)
    rows = [
        Record(
            person=owner,
            resource_type="Observation",
            resource={"resourceType": "Observation", "status": "final"},
            effective=START if same_time else START + datetime.timedelta(hours=n),
            status="final",
            identifier_system="urn:ietf:rfc:3986",
            identifier_value=f"urn:uuid:{who.pid}-{n}-{fields}",
            source_unit=source,
            source_client="lab",
            **fields,
        )
        for n in range(count)
    ]
    return Record.objects.bulk_create(rows)


def _self(who: personas.CitizenPersona) -> Actor:
    pk = person(who).pk
    return Actor(role=Role.CITIZEN, assurance=Assurance.HIGH, person_id=pk, subject_id=pk)


def _parent(parent: personas.CitizenPersona, child: personas.CitizenPersona) -> Actor:
    return Actor(role=Role.PARENT, assurance=Assurance.HIGH, person_id=person(parent).pk, subject_id=person(child).pk)


def _all_pages(actor: Actor, family: pages.Family, subject: int, size: int) -> list[list[int]]:
    token, seen = "", []
    while True:
        page = pages.listing(pages.visible(actor, family, subject), token, size=size)
        seen.append([row.pk for row in page.rows])
        if not page.next_token:
            return seen
        token = page.next_token


@pytest.mark.parametrize("same_time", [False, True])
def test_pages_by_cursor_show_every_record_once_newest_first(demo: None, same_time: bool):
    made = _records(personas.KARI, 23, same_time=same_time)
    actor = _self(personas.KARI)
    seen = _all_pages(actor, RESULTS, actor.subject_id or 0, size=10)
    assert [len(page) for page in seen] == [10, 10, 3]
    flat = [pk for page in seen for pk in page]
    expected = sorted(made, key=lambda row: (row.effective, row.pk), reverse=True)
    assert flat == [row.pk for row in expected]


def test_a_page_costs_one_query_whichever_page_it_is(demo: None):
    _records(personas.KARI, 30)
    actor = _self(personas.KARI)
    rows = pages.visible(actor, RESULTS, actor.subject_id or 0)
    first = pages.listing(rows, "", size=10)
    with CaptureQueriesContext(connection) as later:
        pages.listing(rows, first.next_token, size=10)
    with CaptureQueriesContext(connection) as again:
        pages.listing(rows, "", size=10)
    assert len(later) == len(again) == 1
    assert "OFFSET" not in later.captured_queries[0]["sql"].upper()


@pytest.mark.parametrize("token", ["x", "gAAAAA" + "A" * 80, "a" * 5000, "\u00e6\u00f8\u00e5"])
def test_a_forged_or_foreign_cursor_gives_the_first_page(demo: None, token: str):
    _records(personas.KARI, 3)
    actor = _self(personas.KARI)
    page = pages.listing(pages.visible(actor, RESULTS, actor.subject_id or 0), token)
    assert page.first_page
    assert len(page.rows) == 3


def test_the_cursor_holds_no_readable_date(demo: None):
    _records(personas.KARI, 3)
    actor = _self(personas.KARI)
    page = pages.listing(pages.visible(actor, RESULTS, actor.subject_id or 0), "", size=1)
    assert page.next_token
    assert "2026" not in page.next_token


def test_only_the_family_s_types_of_the_person_and_never_entered_in_error(demo: None):
    mine = _records(personas.KARI, 2)
    _records(personas.KARI, 1, entered_in_error=True)
    _records(personas.PER, 2)
    actor = _self(personas.KARI)
    shown = pages.visible(actor, RESULTS, actor.subject_id or 0)
    assert sorted(row.pk for row in shown) == sorted(row.pk for row in mine)
    other = pages.Family(ServiceArea.VACCINES.value, "Vaksiner", ("Immunization",))
    assert not pages.visible(actor, other, actor.subject_id or 0).exists()


def test_a_parent_is_refused_what_the_age_band_closes_and_the_refusal_is_in_the_child_s_log(demo: None):
    parent = _parent(personas.KARI, personas.NORA)  # Nora is 15: no test results for parents from 12
    with pytest.raises(NotFound):
        pages.subject_for(parent, RESULTS)
    event = AuditEvent.objects.get(action=RESULTS.read_code)
    assert event.subject_id == person(personas.NORA).pk
    assert event.outcome == Outcome.DENIED


def test_a_page_read_is_audited_with_the_records_shown(demo: None):
    rows = _records(personas.KARI, 2)
    actor = _self(personas.KARI)
    subject = pages.subject_for(actor, RESULTS)
    pages.viewed(actor, RESULTS, subject, rows)
    event = AuditEvent.objects.get(action="records:results:read")
    assert event.subject_id == subject
    assert event.outcome == Outcome.ALLOWED
    assert sorted(event.resources) == sorted(f"Observation/{row.pk}" for row in rows)


def test_a_record_corrected_at_the_source_says_when(demo: None):
    [row] = _records(personas.KARI, 1)
    assert pages.changed_on(row) is None
    row.updated = row.created + datetime.timedelta(days=2)
    assert pages.changed_on(row) == row.updated


MEDICINES = pages.Family(ServiceArea.MEDICINES.value, "Legemidler", ("Observation",))


def test_an_item_with_vergeinnsynsreservasjon_is_on_no_page_of_a_parent_and_on_the_youth_s_own(demo: None):
    plain = _records(personas.NORA, 2)
    reserved = _records(personas.NORA, 1, guardian_reserved=True)
    parent = _parent(personas.KARI, personas.NORA)  # medicines stay open to parents 12–15, item by item
    subject = pages.subject_for(parent, MEDICINES)
    assert sorted(row.pk for row in pages.visible(parent, MEDICINES, subject)) == sorted(row.pk for row in plain)
    nora = _self(personas.NORA)
    own = {row.pk for row in pages.visible(nora, MEDICINES, nora.subject_id or 0)}
    assert own == {row.pk for row in plain + reserved}


def test_her_read_of_a_reserved_item_is_hidden_from_her_parents_log(demo: None):
    plain = _records(personas.NORA, 1)
    reserved = _records(personas.NORA, 1, guardian_reserved=True)
    nora = _self(personas.NORA)
    pages.viewed(nora, MEDICINES, nora.subject_id or 0, plain)
    pages.viewed(nora, MEDICINES, nora.subject_id or 0, plain + reserved)
    hidden = dict(
        AuditEvent.objects.filter(action=MEDICINES.read_code).values_list("pk", "hidden_from_representatives")
    )
    assert sorted(hidden.values()) == [False, True]
