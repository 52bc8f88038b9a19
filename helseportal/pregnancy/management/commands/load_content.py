import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from helseportal.pregnancy.weeks.loading import load_pregnancy_weeks


class Command(BaseCommand):
    help = "Load the shipped editorial content (pregnancy weeks 4–42) into Wagtail; safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace week pages whose text differs from the shipped text (editors' changes are lost).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verbosity"] < 2:
            logging.getLogger("wagtail").setLevel(logging.WARNING)  # else three lines for every page loaded
        summary = load_pregnancy_weeks(overwrite=options["overwrite"])
        self.stdout.write(
            f"Pregnancy weeks: {summary.created} created, {summary.updated} updated, {summary.kept} left as they were."
        )
