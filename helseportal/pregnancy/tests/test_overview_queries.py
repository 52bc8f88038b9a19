"""Her overview's cost (issue 14): the card read with its pregnancy in one query on PostgreSQL (`core.folded`), the
same rows as list by list, and a pinned number of queries for `/gravid/` that fails if it grows."""

import datetime
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor
from helseportal.core.folded import folds
from helseportal.core.testing import log_in
from helseportal.core.time import OSLO, today
from helseportal.demo.pregnancy import load_pregnancy
from helseportal.pregnancy import queries, services
from helseportal.pregnancy.models import Pregnancy

pytestmark = pytest.mark.django_db

# `/gravid/` as Kari, counted by the test client inside the test's transaction (so `audited_read`'s atomic block is a
# savepoint pair where one is used). PostgreSQL: the session, her age and consent (the access decision), the card
# with its sections and series in one query, the audit insert (alone: the read is one statement, ADR 0013), the
# week's article (her birth unit only with a recent symptom: `guidance.advice_for`). SQLite (no round trip to save)
# reads the card a list at a time, in a transaction.
OVERVIEW_QUERIES = {"postgresql": 5, "sqlite": 14}


def _fields(entry: Model) -> tuple[Any, ...]:
    values = tuple((f.attname, getattr(entry, f.attname)) for f in entry._meta.concrete_fields)
    return type(entry).__name__, values, tuple(type(value).__name__ for _, value in values)


def _card(card: queries.Card) -> dict[str, Any]:
    return {
        spec: [_fields(entry) for entry in getattr(card, spec)]
        for spec in ("section_history", "in_error", *queries.SERIES)
    } | {"sections": {key: _fields(entry) for key, entry in card.sections.items()}}


@pytest.fixture
def kari_with_card(kari: Actor) -> Actor:
    load_pregnancy()
    pregnancy = Pregnancy.objects.get(person_id=kari.subject_id)
    with transaction.atomic():
        wrong = services.add_symptom(kari, pregnancy, kind="nausea", severity="mild", date=today())
    services.mark_in_error(kari, "symptom", wrong.pk)
    return kari


def test_the_card_read_in_one_query_is_the_card_read_list_by_list(kari_with_card: Actor) -> None:
    """Every field of every entry, with its type (decimals with their scale, JSON, aware datetimes), in order."""
    folded = queries.ongoing_card(kari_with_card)
    listed = queries.load_card(kari_with_card, Pregnancy.objects.get(person_id=kari_with_card.subject_id))
    assert _card(folded) == _card(listed)
    assert all([folded.in_error, folded.consultations, folded.own, folded.forms, folded.sections])
    for own in folded.own:
        assert own.measured_at.utcoffset() == datetime.timedelta(0)
        assert own.measured_at.astimezone(OSLO) == next(o for o in listed.own if o.pk == own.pk).measured_at


def test_the_overview_reads_and_audits_only_what_it_shows(client: Client, kari_with_card: Actor) -> None:
    log_in(client, kari_with_card)
    assert client.get("/gravid/").status_code == 200
    read = AuditEvent.objects.filter(action=queries.CARD_READ).latest("pk")
    kinds = {name.split("/")[0] for name in read.resources}
    assert {"EpisodeOfCare", "SectionEntry", "Consultation", "OwnMeasurement", "Symptom"} <= kinds
    assert "Note" not in kinds  # on her card and in the PDF, not on the overview


def test_her_overview_costs_a_pinned_number_of_queries(client: Client, kari_with_card: Actor) -> None:
    """Fails when `/gravid/` grows a query: fold it into the card's (`queries.SERIES`) or read it once a process."""
    log_in(client, kari_with_card)
    client.get("/gravid/")  # warm: content lookups
    with CaptureQueriesContext(connection) as seen:
        assert client.get("/gravid/").status_code == 200
    assert len(seen) == OVERVIEW_QUERIES[connection.vendor], [q["sql"][:80] for q in seen.captured_queries]
    if folds():
        card = [q["sql"] for q in seen.captured_queries if "pregnancy_pregnancy" in q["sql"]]
        assert len(card) == 1
        assert "json_agg" in card[0]


def test_only_a_folded_read_is_audited_alone(kari_with_card: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    """`alone` (no transaction around the read and its audit record, ADR 0013) only for a read that is one statement:
    with no series the card is its pregnancy and its sections, two statements (review 14, F7). And `series` may be
    any iterable, read once."""
    seen: list[bool] = []
    audited_read = queries.audited_read

    def spy(*args: Any, alone: bool = False, **kwargs: Any) -> Any:
        seen.append(alone)
        return audited_read(*args, alone=alone, **kwargs)

    monkeypatch.setattr(queries, "audited_read", spy)
    queries.ongoing_card(kari_with_card, series=())
    assert seen.pop() is False
    card = queries.ongoing_card(kari_with_card, series=iter(queries.OVERVIEW_SERIES))
    assert seen.pop() is folds()
    assert card.consultations


def test_folded_rows_are_used_once(kari_with_card: Actor) -> None:
    """A second read of the same instance's list sees what was written since: the folded rows go with their first
    use, as a related manager would query again (review 14, F10)."""
    subject_id = kari_with_card.subject_id
    card = queries.ongoing_card(kari_with_card, series=queries.OVERVIEW_SERIES)
    before = len(card.symptoms)
    with transaction.atomic():
        services.add_symptom(kari_with_card, card.pregnancy, kind="nausea", severity="mild", date=today())
    again = queries.load_card(kari_with_card, card.pregnancy)
    assert len(again.symptoms) == before + 1
    assert Pregnancy.objects.get(person_id=subject_id).pk == card.pregnancy.pk
