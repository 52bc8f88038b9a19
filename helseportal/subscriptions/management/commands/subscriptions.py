"""`helseportal subscriptions list`, `helseportal subscriptions enable <id>` and
`helseportal subscriptions rotate-secret <id>`: the operator's view of the FHIR subscriptions, switching one on
again after the endpoint is fixed (a handshake first), and a new signing secret (shown once)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from helseportal.subscriptions import operations
from helseportal.subscriptions.models import Delivery

COLUMNS = ("id", "client", "unit", "status", "failures", "last delivery", "endpoint")


class Command(BaseCommand):
    help = (
        "FHIR subscriptions. `list`: each subscription's client, unit, status, failures in a row, last delivery and "
        "endpoint. `enable <id>`: switch one on again (after `error`), with its failures reset: a handshake first. "
        "`rotate-secret <id>`: a new signing secret, shown once; the old one signs too for a grace period."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("list", help="list every subscription")
        enable = commands.add_parser("enable", help="switch a subscription on again")
        enable.add_argument("id", type=int, help="the subscription's id (Subscription/<id>)")
        rotate = commands.add_parser("rotate-secret", help="a new signing secret for a subscription (shown once)")
        rotate.add_argument("id", type=int, help="the subscription's id (Subscription/<id>)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "enable":
            self.enable(options["id"])
        elif options["subcommand"] == "rotate-secret":
            self.rotate(options["id"])
        else:
            self.list()

    def list(self) -> None:
        rows = [COLUMNS]
        for item in operations.overview():
            s = item.subscription
            rows.append(
                (
                    str(s.pk),
                    s.client_id,
                    f"{s.unit.orgnr} {s.unit.shown_name}",
                    s.status + (f" ({s.error})" if s.error else ""),
                    str(s.consecutive_failures),
                    _delivery(item.last_delivery),
                    s.endpoint,
                )
            )
        if len(rows) == 1:
            self.stdout.write("No subscriptions.")
            return
        widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[-1]]))

    def enable(self, subscription_id: int) -> None:
        row = operations.enable(subscription_id)
        if row is None:
            raise CommandError(f"No subscription {subscription_id}.")
        if row.status == "active":
            self.stdout.write(f"Subscription {row.pk} ({row.client_id}) is active.")
        else:
            said = "is requested: active when its endpoint answers the handshake"
            self.stdout.write(f"Subscription {row.pk} ({row.client_id}) {said}.")

    def rotate(self, subscription_id: int) -> None:
        rotated = operations.rotate_secret(subscription_id)
        if rotated is None:
            raise CommandError(f"No subscription {subscription_id}.")
        until = f"{timezone.localtime(rotated.old_valid_until):%Y-%m-%d %H:%M}"
        s = rotated.subscription
        self.stdout.write(f"New signing secret of subscription {s.pk} ({s.client_id}), shown only now:")
        self.stdout.write(rotated.secret)
        self.stdout.write(f"Until {until} each delivery is signed with the new and the old secret; then the new only.")


def _delivery(delivery: Delivery | None) -> str:
    if delivery is None:
        return "-"
    outcome = "ok" if delivery.delivered else delivery.error
    return f"{timezone.localtime(delivery.at):%Y-%m-%d %H:%M:%S} #{delivery.event_number}/{delivery.attempt} {outcome}"
