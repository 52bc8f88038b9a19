"""Reads: who a bearer token stands for, whether a connection still holds, a citizen's connected apps."""

import dataclasses

from django.utils import timezone

from helseportal.access import policy
from helseportal.access import queries as access_queries
from helseportal.access.queries import Choice
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.smart.models import Client, Connection, Kind, Token, hash_secret

__all__ = [
    "Choice",
    "Client",
    "actor_for_token",
    "client_active",
    "client_name",
    "connected_apps",
    "launch_choices",
    "may_still_act",
]


def actor_for_token(access_token: str) -> Actor | None:
    """The Actor a valid access token stands for; None for an unknown, expired or revoked token, a disabled
    client, or a connection whose person may no longer act for its subject."""
    if not access_token or len(access_token) > 512:
        return None
    row = (
        Token.objects.select_related("client__unit", "connection__person", "connection__subject")
        .filter(access_token_hash=hash_secret(access_token))
        .first()
    )
    if row is None or row.revoked_at is not None or row.expires_at <= timezone.now() or row.client.disabled:
        return None
    scopes = frozenset(row.scope.split())
    if row.client.kind == Kind.SYSTEM:
        return Actor(
            role=Role.SYSTEM,
            assurance=Assurance.HIGH,
            client_id=row.client.client_id,
            unit_id=row.client.unit_id,
            scopes=scopes,
            display_name=row.client.name,
            unit_name=row.client.unit.shown_name if row.client.unit is not None else "",
            unit_orgnr=row.client.unit.orgnr if row.client.unit is not None else "",
        )
    connection = row.connection
    if connection is None or not connection.active or not may_still_act(connection):
        return None
    return dataclasses.replace(
        connection_actor(connection),
        client_id=row.client.client_id,
        scopes=scopes,
        display_name=connection.person.full_name,
        subject_name=connection.subject.full_name,
    )


def client_active(client_id: str) -> bool:
    """Whether `client_id` is registered and not disabled (for `fhir.provider.client_active`: a removed or disabled
    client's subscriptions deliver nothing)."""
    return Client.objects.filter(client_id=client_id, disabled=False).exists()


def client_name(client_id: str) -> str | None:
    """A client's name, for the audit log ("Hvem har sett opplysningene mine"); None for an unknown client."""
    name: str | None = Client.objects.filter(client_id=client_id).values_list("name", flat=True).first()
    return name


def connection_actor(connection: Connection) -> Actor:
    return Actor(
        role=Role(connection.role),
        assurance=Assurance.HIGH,
        person_id=connection.person_id,
        subject_id=connection.subject_id,
    )


def may_still_act(connection: Connection) -> bool:
    """Whether the person who connected the app may still act for its subject today, as `access` decides: a
    child who turned 16, a parent whose band closed every area, a revoked power of attorney end the connection."""
    if connection.subject_id == connection.person_id:
        return True
    return bool(policy.open_areas(connection_actor(connection)))


def launch_choices(actor: Actor) -> list[Choice]:
    """Whose data a citizen may connect an app to: herself, and each person `access` lets her act for today."""
    return access_queries.choices(actor)


def connected_apps(actor: Actor) -> list[Connection]:
    """The apps the logged-in person has connected, for herself or for someone she acts for, newest first."""
    rows = Connection.objects.select_related("client", "subject").filter(
        person_id=actor.own_person_id, revoked_at__isnull=True, expires_at__gt=timezone.now(), client__disabled=False
    )
    return list(rows.order_by("-created"))
