"""Benchmark cases for the pregnancy card: her overview page and the PDF export, on a card with a full history.

The card lives in a throwaway database made for each case by Django's test machinery (in memory with SQLite, a
`test_…` database with PostgreSQL), so `make bench` never writes to the local database. The data is written
through the services, as in real use. Import this module after `django.setup()` (bench/__main__.py does).
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from importlib import import_module

from django.db import connection, transaction
from django.test.utils import setup_databases, teardown_databases
from weasyprint import HTML

from bench.harness import Result, checked, compare, logged_in
from helseportal.core.actor import Actor
from helseportal.core.time import OSLO, today
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.demo.pregnancy import share_with_mette
from helseportal.pregnancy import services
from helseportal.pregnancy.models import CardPdf, Pregnancy

CONSULTATIONS, SF_VALUES, OWN_MEASUREMENTS = 15, 20, 80
PDF_RUNS = 20  # a PDF takes a good part of a second: 5 blocks of 4, each after 5 warm-up renders
AUDIT_TRIGGERS = import_module("helseportal.access.migrations.0006_auditevent_chained_by_the_worker")


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A test database with the schema (as `pytest --no-migrations`) plus the audit log's append-only triggers."""
    connection.settings_dict.setdefault("TEST", {})["MIGRATE"] = False
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        AUDIT_TRIGGERS.install_triggers(connection)
        yield
    finally:
        teardown_databases(old_config, verbosity=0)


def _actors() -> tuple[Actor, Actor]:
    return actors.citizen(personas.KARI), actors.clinician(personas.METTE, personas.HEALTH_STATION)


@transaction.atomic
def full_card() -> Actor:
    """Kari in week 40+0 with 15 consultations, 20 SF-mål values and 80 own measurements; returns her Actor."""
    load_demo()
    woman, midwife = _actors()
    lmp = today() - datetime.timedelta(days=280)
    pregnancy = services.start_pregnancy(woman, subject_id=woman.own_person_id, lmp=lmp)
    # Mette writes the consultations, so the grant is read and write.
    share_with_mette(woman, until=today() + datetime.timedelta(days=60))
    for i in range(CONSULTATIONS):
        _consultation(midwife, pregnancy, lmp + datetime.timedelta(days=42 + i * 16), i)
    for i in range(SF_VALUES):
        day = lmp + datetime.timedelta(days=24 * 7 + i * 5)
        services.add_sf(woman if i % 4 == 3 else midwife, pregnancy, date=day, cm=22 + i * 16 // SF_VALUES)
    for i in range(OWN_MEASUREMENTS):
        _own_measurement(woman, pregnancy, today() - datetime.timedelta(days=OWN_MEASUREMENTS - i), i)
    services.add_test(
        midwife, pregnancy, test="hb_t1", value="12.8", unit="g/dL", taken_on=lmp + datetime.timedelta(weeks=8)
    )
    return woman


def _consultation(midwife: Actor, pregnancy: Pregnancy, day: datetime.date, i: int) -> None:
    fetus = {"n": 1, "heart_rate": 140 + i % 10, "presentation": "cephalic", "movements": True}
    services.add_consultation(
        midwife,
        pregnancy,
        date=day,
        weight_kg=Decimal("64.0") + Decimal(i) / 2,
        systolic=110 + i % 12,
        diastolic=70 + i % 8,
        urine_protein="neg",
        fetuses=[fetus] if i >= 3 else [],
        note=f"Kontroll {i + 1}",
    )


def _own_measurement(woman: Actor, pregnancy: Pregnancy, day: datetime.date, i: int) -> None:
    at = datetime.datetime.combine(day, datetime.time(7, 30), OSLO)
    kind = ("bp", "weight", "glucose", "pulse")[i % 4]
    if kind == "bp":
        services.add_own_measurement(woman, pregnancy, kind=kind, measured_at=at, systolic=118, diastolic=75)
        return
    value = {"weight": Decimal("70.0") + Decimal(i) / 10, "glucose": Decimal("5.2"), "pulse": Decimal("82")}[kind]
    services.add_own_measurement(woman, pregnancy, kind=kind, measured_at=at, value=value)


def overview_case() -> Result:
    """Her overview page (`GET /gravid/`, full stack, with its audit record) against a bare view."""
    with throwaway_database():
        client = logged_in(full_card())
        return compare(
            "pregnancy overview (full stack)", checked(client, "/gravid/"), lambda: client.get("/bench-baseline/")
        )


def one_page_pdf() -> bytes:
    html = "<h1>Helsekort for gravide</h1><p>Én side, ingen tabeller og ingen kurver.</p>"
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def pdf_case() -> Result:
    """The PDF export of an unchanged card (`GET /gravid/helsekort.pdf`, full stack: the card is loaded, checked,
    audited and rendered to HTML, and the stored PDF of the same HTML is served) against a plain one-page
    WeasyPrint document."""
    with throwaway_database():
        client = logged_in(full_card())
        work = checked(client, "/gravid/helsekort.pdf")
        return compare("pregnancy card PDF, unchanged card (full stack)", work, one_page_pdf, runs=PDF_RUNS)


def pdf_layout_case() -> Result:
    """The PDF export right after a change, before the worker has laid it out: the stored copy is gone, so
    WeasyPrint lays out the whole card in the request."""
    with throwaway_database():
        client = logged_in(full_card())
        checked(client, "/gravid/helsekort.pdf")

        def changed_card() -> object:
            CardPdf.objects.all().delete()
            return client.get("/gravid/helsekort.pdf")

        return compare("pregnancy card PDF, laid out (full stack)", changed_card, one_page_pdf, runs=PDF_RUNS)


CASES = [overview_case, pdf_case, pdf_layout_case]
