"""Writes: registering API clients (the `helseportal fhir-client` command), a citizen connecting an app to her
own or a child's data, and disconnecting it. A connection and its audit record commit together."""

import secrets
import string
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from helseportal.access import audit
from helseportal.access.queries import Choice
from helseportal.core.actor import Actor, Role
from helseportal.core.errors import Invalid, NotFound
from helseportal.organisations.models import Unit
from helseportal.smart import keys, scopes
from helseportal.smart.models import Client, Connection, Kind, Token, connection_lifetime


@dataclass(frozen=True)
class Registration:
    name: str
    kind: str
    scopes: tuple[str, ...]
    unit_orgnr: str = ""
    jwks: dict[str, Any] | None = None
    jwks_url: str = ""
    redirect_uris: tuple[str, ...] = ()
    public: bool = False


def register_client(registration: Registration) -> Client:
    """Register an API client; `Invalid` says what is wrong (for the operator, in English: a command's output)."""
    r = registration
    if r.kind not in Kind.values:
        raise Invalid(f"kind must be one of {', '.join(Kind.values)}")
    if not r.name.strip():
        raise Invalid("a client needs a name")
    if not r.scopes:
        raise Invalid("a client needs at least one scope")
    wrong = scopes.invalid(r.scopes, kind=r.kind)
    if wrong:
        raise Invalid(f"scopes a {r.kind} client cannot hold: {' '.join(wrong)}")
    if r.jwks and r.jwks_url:
        raise Invalid("give the keys either as a JWKS or as a JWKS URL, not both")
    if r.jwks_url and not _is_url(r.jwks_url, https_only=False):
        raise Invalid("the JWKS URL must be an http(s) URL")
    unit = None
    if r.kind == Kind.SYSTEM:
        unit = Unit.objects.filter(orgnr=r.unit_orgnr).first()
        if unit is None:
            raise Invalid("a system client belongs to a unit: give --unit with a registered organisation number")
        if r.public or r.redirect_uris:
            raise Invalid("a system client has keys and no redirect URIs")
    elif r.unit_orgnr:
        raise Invalid("an app belongs to no unit")
    elif not r.redirect_uris:
        raise Invalid("an app needs at least one redirect URI")
    bad_uris = [uri for uri in r.redirect_uris if not _is_redirect_uri(uri)]
    if bad_uris:
        raise Invalid(f"not an absolute redirect URI without a fragment: {' '.join(bad_uris)}")
    if r.public and (r.jwks or r.jwks_url):
        raise Invalid("a public app has no keys")
    if not r.public and not (r.jwks or r.jwks_url):
        raise Invalid("give the client's public keys (--jwks-file or --jwks-url), or register a public app (--public)")
    return Client.objects.create(
        client_id=new_client_id(),
        name=r.name.strip(),
        kind=r.kind,
        unit=unit,
        jwks=r.jwks,
        jwks_url=r.jwks_url,
        scopes=list(dict.fromkeys(r.scopes)),
        redirect_uris=list(r.redirect_uris),
        public=r.public,
    )


def new_client_id() -> str:
    """24 letters and digits: no `-` or `_`, so a client id never looks like a command-line option."""
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(24))


def read_jwks(text: str) -> dict[str, Any]:
    try:
        return keys.parse_jwks(text)
    except (ValueError, keys.KeysUnavailable) as error:
        raise Invalid(f"not a JWK Set with public keys: {error}") from None


def _is_url(value: str, *, https_only: bool) -> bool:
    parts = urlsplit(value)
    return parts.scheme in (("https",) if https_only else ("https", "http")) and bool(parts.netloc)


def _is_redirect_uri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme) and not parts.fragment and (bool(parts.netloc) or parts.scheme not in ("http", "https"))


def set_disabled(client_id: str, disabled: bool) -> Client:
    """Disable (or enable again) a client: a disabled client gets no token, and its tokens stop working."""
    client = Client.objects.filter(client_id=client_id).first()
    if client is None:
        raise NotFound(f"no client {client_id}")
    client.disabled = disabled
    client.save(update_fields=["disabled"])
    return client


def remove_client(client_id: str) -> None:
    """Remove a client with its tokens and connections (the audit log keeps its id on what it did)."""
    deleted, _counts = Client.objects.filter(client_id=client_id).delete()
    if not deleted:
        raise NotFound(f"no client {client_id}")


def clients() -> list[Client]:
    return list(Client.objects.select_related("unit").order_by("created"))


def connect(actor: Actor, *, client: Client, choice: Choice, scope: str) -> Connection:
    """She lets `client` use `choice.person`'s data with `scope`. A new consent replaces an earlier one of the
    same app for the same person (its tokens are revoked), so the profile lists each app once."""
    now = timezone.now()
    acting = actor.acting_for(choice.person.pk, choice.role)
    with transaction.atomic():
        earlier = Connection.objects.filter(
            client=client, person_id=actor.own_person_id, subject=choice.person, revoked_at__isnull=True
        )
        Token.objects.filter(connection__in=earlier, revoked_at__isnull=True).update(revoked_at=now)
        earlier.update(revoked_at=now)
        connection = Connection.objects.create(
            client=client,
            person_id=actor.own_person_id,
            subject=choice.person,
            role=choice.role.value,
            scope=scope,
            created=now,
            expires_at=now + connection_lifetime(scope),
        )
        audit.record(acting, "smart:app:connected", subject_id=choice.person.pk, purpose=client.name[:200])
    return connection


def disconnect(actor: Actor, connection_id: int) -> Connection:
    """Disconnect one of her apps: the connection and every token issued under it are revoked at once."""
    now = timezone.now()
    with transaction.atomic():
        connection = (
            Connection.objects.select_for_update()
            .select_related("client")
            .filter(pk=connection_id, person_id=actor.own_person_id, revoked_at__isnull=True)
            .first()
        )
        if connection is None:
            raise NotFound
        connection.revoked_at = now
        connection.save(update_fields=["revoked_at"])
        Token.objects.filter(connection=connection, revoked_at__isnull=True).update(revoked_at=now)
        acting = actor.acting_for(connection.subject_id, Role(connection.role))
        audit.record(
            acting, "smart:app:disconnected", subject_id=connection.subject_id, purpose=connection.client.name[:200]
        )
    return connection
