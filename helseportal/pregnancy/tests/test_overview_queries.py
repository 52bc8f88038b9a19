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
from helseportal.pregnancy.models import (
    AuthorKind,
    BirthOutcome,
    EarlierBirth,
    Nipt,
    Pregnancy,
    Ultrasound,
    Vaccination,
)

pytestmark = pytest.mark.django_db

# `/gravid/` as Kari, counted by the test client inside the test's transaction (so `audited_read`'s atomic block is a
# savepoint pair where one is used). Her card's part kept (`pregnancy.overview`), on every database: the session, her
# age and consent (the access decision), the part's key (her pregnancy's version, her birth date, the week pages'
# state: one statement), the audit record. Rendered anew (a write since): then also the card with its sections and
# series in one query on PostgreSQL (the audit insert alone: the read is one statement, ADR 0013) and the week's
# article (her birth unit only with a recent symptom: `guidance.advice_for`); SQLite (no round trip to save) reads
# the card a list at a time, in a transaction.
OVERVIEW_QUERIES = 4
OVERVIEW_QUERIES_RENDERED = {"postgresql": 6, "sqlite": 15}


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


def _one_of_each_series_the_demo_leaves_empty(pregnancy: Pregnancy) -> None:
    """So that the parity test compares every series' conversion (review 14, F8): Kari's demo card has none of these."""
    who = {"pregnancy": pregnancy, "person_id": pregnancy.person_id, "author_kind": AuthorKind.WOMAN}
    who |= {"author_name": "Kari Nordmann"}
    EarlierBirth.objects.create(**who, year=2021, weeks=39, mode="vaginal", birth_weight_g=3450, complications="Ingen")
    Ultrasound.objects.create(**who, kind="routine", date=today(), ga_days=130, fetuses=1, placenta="anterior")
    Nipt.objects.create(**who, date=today(), result="low", note="")
    Vaccination.objects.create(**who, vaccine="pertussis", date=today(), place="Helsestasjonen")
    BirthOutcome.objects.create(
        **who, fetus=1, status="live", born_at=datetime.datetime(2026, 6, 9, 23, 59, tzinfo=OSLO)
    )


def test_the_card_read_in_one_query_is_the_card_read_list_by_list(kari_with_card: Actor) -> None:
    """Every field of every entry, with its type (decimals with their scale, JSON, aware datetimes), in order, for
    every series. On SQLite both paths are the ORM's (nothing folds there): the comparison matters on PostgreSQL."""
    _one_of_each_series_the_demo_leaves_empty(Pregnancy.objects.get(person_id=kari_with_card.subject_id))
    folded = queries.ongoing_card(kari_with_card)
    listed = queries.load_card(kari_with_card, Pregnancy.objects.get(person_id=kari_with_card.subject_id))
    assert _card(folded) == _card(listed)
    assert all([folded.in_error, folded.sections])
    assert all(getattr(folded, name) for name in queries.SERIES if name != "due_dates"), "a series with no rows"
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
    """Fails when `/gravid/` grows a query: fold it into the card's (`queries.SERIES`) or its key's, or read it once a
    process. Kept, and rendered anew after a write."""
    log_in(client, kari_with_card)
    client.get("/gravid/")  # warm: content lookups; the part is kept
    with CaptureQueriesContext(connection) as seen:
        assert client.get("/gravid/").status_code == 200
    assert len(seen) == OVERVIEW_QUERIES, [q["sql"][:80] for q in seen.captured_queries]
    with transaction.atomic():
        services.add_note(kari_with_card, queries.ongoing(kari_with_card), "Spørre om jern")
    with CaptureQueriesContext(connection) as seen:
        assert client.get("/gravid/").status_code == 200
    assert len(seen) == OVERVIEW_QUERIES_RENDERED[connection.vendor], [q["sql"][:80] for q in seen.captured_queries]
    if folds():
        card = [q["sql"] for q in seen.captured_queries if "json_agg" in q["sql"]]
        assert len(card) == 1


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


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_overview_is_audited_or_not_shown(
    client: Client, kari_with_card: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path production takes (no transaction around the request): on PostgreSQL the card's one statement, then
    its audit record in autocommit (`alone`). The record is there after the page; when it cannot be written the page
    is an error without her data (review 14, F8)."""
    from helseportal.access.audit import chain

    log_in(client, kari_with_card)
    before = AuditEvent.objects.filter(action=queries.CARD_READ).count()
    shown = client.get("/gravid/")
    assert shown.status_code == 200
    assert AuditEvent.objects.filter(action=queries.CARD_READ).count() == before + 1
    ga = queries.ongoing_card(kari_with_card, series=()).ga
    assert ga is not None
    week = f"uke {ga.weeks}"
    assert week in shown.content.decode()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the audit log cannot be written")

    monkeypatch.setattr(chain, "_insert", broken)
    client.raise_request_exception = False
    failed = client.get("/gravid/")
    assert failed.status_code == 500
    assert week not in failed.content.decode()
