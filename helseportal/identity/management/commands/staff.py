"""`helseportal staff grant|revoke|list`: who may log in to /cms/ and /admin/ (with HelseID, by HPR number)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from helseportal.identity import queries, services


class Command(BaseCommand):
    help = "Give or take away an editor's or administrator's access to /cms/ and /admin/, by HPR number."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        give = actions.add_parser("grant", help="link an HPR number to a Django user (staff)")
        give.add_argument("hpr_number")
        give.add_argument("--superuser", action="store_true", help="every permission in both admins")
        give.add_argument("--django-admin", action="store_true", help="may log in to /admin/ (with the groups' rights)")
        give.add_argument("--group", action="append", default=[], help="a group to put the user in (repeatable)")
        take = actions.add_parser("revoke", help="deactivate the user linked to an HPR number")
        take.add_argument("hpr_number")
        actions.add_parser("list", help="list the HPR numbers with access")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "grant":
            try:
                user = services.grant_staff(
                    options["hpr_number"],
                    superuser=options["superuser"],
                    django_admin=options["django_admin"],
                    groups=tuple(options["group"]),
                )
            except services.StaffError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"HPR {options['hpr_number']} logs in to /cms/ and /admin/ as {user.get_username()}.")
        elif action == "revoke":
            if not services.revoke_staff(options["hpr_number"]):
                raise CommandError(f"HPR {options['hpr_number']} has no access")
            self.stdout.write(f"HPR {options['hpr_number']} no longer has access.")
        else:
            for account in queries.staff_accounts():
                user = account.user
                groups = ", ".join(user.groups.values_list("name", flat=True)) or "-"
                kind = "superuser" if user.is_superuser else "django-admin" if user.is_staff else "cms"
                self.stdout.write(f"{account.hpr_number}\t{user.get_username()}\t{kind}\t{groups}")
