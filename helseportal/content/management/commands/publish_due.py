from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from helseportal.content import publishing, tasks


class Command(BaseCommand):
    help = (
        "Publish the pages (notices, unit pages) whose scheduled time has come: run it from cron every minute, "
        "or once with --keep-publishing to have the task worker do it every minute."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--keep-publishing",
            action="store_true",
            help="Also start the worker's periodic publishing task, unless it is already waiting (safe to repeat).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        published = publishing.publish_due()
        self.stdout.write(f"Scheduled pages: {published} published.")
        if options["keep_publishing"]:
            started = tasks.keep_publishing()
            self.stdout.write("The worker publishes every minute." + ("" if started else " (It already did.)"))
