"""`helseportal fhir-client add|list|disable|enable|remove`: the FHIR API's clients.

    helseportal fhir-client add --name "Frogner EPJ" --kind system --unit 974123456 \\
        --jwks-url https://epj.example/jwks.json --scope "system/Appointment.cruds system/Patient.rs"
    helseportal fhir-client add --name "Helseappen" --kind app --public \\
        --redirect-uri https://app.example/callback --scope "launch/patient openid fhirUser offline_access patient/*.rs"
"""
# The command's name has a hyphen, as the issue names it, so the module name does too.
# ruff: noqa: N999

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from helseportal.core.errors import Invalid, NotFound
from helseportal.smart import services


class Command(BaseCommand):
    help = "Register, list, disable, enable or remove the FHIR API's clients (systems and apps)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="register a client and print its client id")
        add.add_argument("--name", required=True, help="shown to citizens on the consent page and in the log")
        add.add_argument("--kind", required=True, choices=["system", "app"])
        add.add_argument("--unit", default="", help="a system's unit, by organisation number")
        keys = add.add_mutually_exclusive_group()
        keys.add_argument("--jwks-file", type=Path, help="the client's public keys, a JWK Set (JSON)")
        keys.add_argument("--jwks-url", default="", help="where the client publishes its JWK Set")
        add.add_argument("--scope", required=True, help="the scopes it may hold, separated by spaces")
        add.add_argument("--redirect-uri", action="append", default=[], help="an app's redirect URI (repeatable)")
        add.add_argument("--public", action="store_true", help="an app without keys (PKCE only)")
        actions.add_parser("list", help="list the clients")
        for name, text in (("disable", "refuse its tokens"), ("enable", "accept it again"), ("remove", "delete it")):
            action = actions.add_parser(name, help=text)
            action.add_argument("client_id")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "add":
                client = services.register_client(_registration(options))
                self.stdout.write(client.client_id)
            elif action == "list":
                self._list()
            elif action in ("disable", "enable"):
                client = services.set_disabled(options["client_id"], action == "disable")
                self.stdout.write(f"{client.client_id} {'disabled' if client.disabled else 'enabled'}")
            else:
                services.remove_client(options["client_id"])
                self.stdout.write(f"{options['client_id']} removed")
        except (Invalid, NotFound) as error:
            raise CommandError(error.message) from None

    def _list(self) -> None:
        for client in services.clients():
            unit = client.unit.orgnr if client.unit else "-"
            keys = "jwks-url" if client.jwks_url else "jwks" if client.jwks else "public"
            state = "disabled" if client.disabled else "enabled"
            fields = [client.client_id, client.kind, state, unit, keys, client.name, " ".join(client.scopes)]
            self.stdout.write("\t".join(fields))


def _registration(options: dict[str, Any]) -> services.Registration:
    jwks = None
    if options["jwks_file"] is not None:
        try:
            text = options["jwks_file"].read_text()
        except OSError as error:
            raise CommandError(f"cannot read {options['jwks_file']}: {error.strerror}") from None
        jwks = services.read_jwks(text)
    return services.Registration(
        name=options["name"],
        kind=options["kind"],
        scopes=tuple(options["scope"].split()),
        unit_orgnr=options["unit"],
        jwks=jwks,
        jwks_url=options["jwks_url"] or "",
        redirect_uris=tuple(options["redirect_uri"]),
        public=options["public"],
    )
