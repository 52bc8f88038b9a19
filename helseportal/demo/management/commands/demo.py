from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from helseportal.access.tasks import keep_chaining
from helseportal.content.services import keep_publishing
from helseportal.demo.appointments import load_appointments
from helseportal.demo.content_units import load_unit_pages
from helseportal.demo.copayments import load_copayments
from helseportal.demo.forms import load_forms
from helseportal.demo.loader import load_demo
from helseportal.demo.messaging import load_messaging
from helseportal.demo.offerings import load_offerings
from helseportal.demo.operators import load_operators
from helseportal.demo.pregnancy import load_pregnancy
from helseportal.demo.pregnancy_fields import load_pregnancy_fields
from helseportal.demo.records import load_records
from helseportal.demo.stats import load_counters
from helseportal.demo.travel import load_travel
from helseportal.pregnancy.weeks.loading import load_pregnancy_weeks
from helseportal.stats.tasks import roll_up_months


class Command(BaseCommand):
    help = "Load synthetic demo persons, practitioners and units (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.HELSEPORTAL_TEST_IDENTITIES:
            raise CommandError("Demo data uses synthetic identities; they are turned off in these settings.")
        summary = load_demo()
        # Personas and units are what every test builds on; the stories on top are for people trying the portal.
        created = load_pregnancy()
        load_pregnancy_fields()  # ultrasound, vaccines, birth plan and the other fields of issue 16
        load_pregnancy_weeks()  # the week-by-week pages her overview links to
        pages = load_unit_pages()  # the school health services' and HFUs' pages, staff and notices
        keep_publishing()  # the worker publishes the scheduled notice when its day comes (once a minute)
        keep_chaining()  # the worker links the audit log's new events into its hash chain (ADR 0013)
        free_times = load_appointments()  # nurse Ingrid's and GP Lars's free times, Kari's GP appointments
        load_messaging()  # Kari's thread with her GP office
        load_forms()  # the GP office's e-consultation and symptom triage forms (Skjemaer, issue 17)
        load_offerings()  # what each unit offers (the service catalogue), the GP office's e-consultation (issue 12)
        records = load_records()  # what record systems know (issue 11), sent through the FHIR API
        load_copayments()  # Kari's co-payments past the cap, her card (issue 12 item 4), through the FHIR API
        load_travel()  # Kari's travel claims, one paid and one under processing (issue 12 item 5)
        counters = load_counters()  # a year of usage counters for the demo units (issue 13)
        roll_up_months.enqueue()  # the worker sums the closed months of them (a dashboard read never does)
        load_operators()  # doctor Tone sees the usage statistics; the demo municipalities' population (issue 13)
        self.stdout.write(
            f"Demo data ready: {summary.persons} persons, {summary.practitioners} practitioners, {summary.units} units;"
            f" Kari's pregnancy card {'created' if created else 'already there'}; {pages} unit pages;"
            f" {free_times} new free times; {records} records sent through the FHIR API;"
            f" {counters} usage counter cells."
        )
