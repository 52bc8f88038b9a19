"""The names of API clients, for the audit log: `helseportal.smart` owns the clients and sits above access, so it
registers how a client id becomes the client's display name (`register_client_names`, at its app's `ready()`).

The name is copied into the event when it is written (`actor_name`), like a practitioner's name, so the log stays
true when a client is renamed or removed.
"""

from collections.abc import Callable

ClientNames = Callable[[str], str | None]
_names: list[ClientNames] = []


def register_client_names(names: ClientNames) -> None:
    """Register `names(client_id) -> display name or None` (one registration; a later one replaces it)."""
    _names[:] = [names]


def client_name(client_id: str) -> str | None:
    """The client's display name, or None when no one registered names or the client is unknown."""
    return _names[0](client_id) if _names and client_id else None
