"""Helpers for tests: put an Actor in a test client's session, as a completed login would."""

import time

from django.test import Client

from helseportal.core.actor import Actor


def log_in(client: Client, actor: Actor) -> None:
    """Make `client` act as `actor` without going through OIDC (the login itself has its own tests)."""
    session = client.session
    session["actor"] = actor.to_session()
    session["touched_at"] = int(time.time())  # saved now, as a login's request saves it (identity.middleware)
    session.save()
