"""`helseportal stats_usage <family> <code> [--days 90] [--json]`: who uses a unit configuration (issue 13 item 3).

For scripts run before a change (retiring a booking type, a service kind): the units that have the configuration
and their counted use in the last days, zero-use units too; `--json` prints the answer as JSON, every number
suppressed under 5 (`null`, with its text "< 5"). `helseportal stats_usage --list` lists the families and codes.
Run by an operator at the server's shell: counters are aggregates, no person is read.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helseportal.core.errors import DomainError
from helseportal.stats import configurations, usage


class Command(BaseCommand):
    help = "Who uses a unit configuration: the units that have it and their use in the last days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("family", nargs="?", help="appointment_type, service_kind or unit_kind")
        parser.add_argument("code", nargs="?", help="the configuration's code, e.g. youth or gp_booking")
        parser.add_argument("--days", default=str(usage.DEFAULT_DAYS), help="how many days back (default 90)")
        parser.add_argument("--json", action="store_true", help="print JSON for scripts")
        parser.add_argument("--list", action="store_true", help="list the families and their codes")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"] or not options["family"]:
            self._list(as_json=options["json"])
            return
        if not options["code"]:
            raise CommandError("Give the configuration's code after the family (see --list).")
        try:
            days = usage.parse_days(options["days"])
            answer = usage.who_uses(options["family"], options["code"], days=days)
        except DomainError as error:
            raise CommandError(f"{error.message} (see --list)") from None
        if options["json"]:
            self.stdout.write(json.dumps(answer.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{answer.configuration.label} ({answer.family.key} {answer.configuration.code}), "
            f"{answer.since}–{answer.until}: {len(answer.used_by)} units used it, {len(answer.unused)} did not."
        )
        for unit in answer.units:
            mark = "" if unit.configured else "  (not configured now)"
            self.stdout.write(f"  {unit.text:>8}  {unit.orgnr}  {unit.name}{mark}")

    def _list(self, *, as_json: bool) -> None:
        listed: list[dict[str, Any]] = [
            {
                "family": family.key,
                "label": str(family.label),
                "configurations": [
                    {"code": c.code, "label": str(c.label), "units": len(c.units)} for c in family.configurations()
                ],
            }
            for family in configurations.families()
        ]
        if as_json:
            self.stdout.write(json.dumps(listed, ensure_ascii=False, indent=2))
            return
        for family in listed:
            self.stdout.write(f"{family['family']}: {family['label']}")
            for c in family["configurations"]:
                self.stdout.write(f"  {c['code']}: {c['label']} ({c['units']} units)")
