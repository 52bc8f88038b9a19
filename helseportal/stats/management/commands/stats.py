"""`helseportal stats operator grant|revoke|list` and `helseportal stats population import <file>` (issue 13)."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from helseportal.core.errors import Invalid
from helseportal.stats import operators, population


class Command(BaseCommand):
    help = "The usage statistics: who is an operator (by HPR number), and the population per municipality (SSB 07459)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        topics = parser.add_subparsers(dest="topic", required=True)
        operator = topics.add_parser("operator", help="give, take away or list the operator role")
        actions = operator.add_subparsers(dest="action", required=True)
        actions.add_parser("grant", help="make a practitioner (HPR number) an operator").add_argument("hpr_number")
        actions.add_parser("revoke", help="take the operator role away").add_argument("hpr_number")
        actions.add_parser("list", help="list the operators")
        people = topics.add_parser("population", help="population per municipality")
        imports = people.add_subparsers(dest="action", required=True)
        imports.add_parser("import", help="import SSB table 07459 as CSV (docs/statistics-dashboard.md)").add_argument(
            "file", type=Path
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["topic"] == "population":
                done = population.import_file(options["file"])
                years = ", ".join(str(y) for y in done.years)
                self.stdout.write(f"Imported {done.rows} municipality rows for {years} ({done.skipped} rows skipped).")
            else:
                self._operator(options["action"], options.get("hpr_number", ""))
        except Invalid as invalid:
            raise CommandError(invalid.message) from None

    def _operator(self, action: str, hpr_number: str) -> None:
        if action == "grant":
            operators.grant(hpr_number)
            self.stdout.write(f"HPR {hpr_number.strip()} is an operator of the usage statistics.")
        elif action == "revoke":
            if not operators.revoke(hpr_number):
                raise CommandError(f"HPR {hpr_number.strip()} is no operator")
            self.stdout.write(f"HPR {hpr_number.strip()} is no longer an operator.")
        else:
            for row in operators.listed():
                state = "active" if row.active else "revoked"
                self.stdout.write(f"{row.hpr_number}\t{state}\t{row.granted_at:%Y-%m-%d %H:%M}\t{row.granted_by}")
