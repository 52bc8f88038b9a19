"""The typed request: how a view gets the Actor the `actor` middleware put on the request.

Views call `actor_of(request)`; nothing else reads `request.actor`. The Actor says who acts, for whom and how
strongly authenticated; whether they may see *this* record is `access`'s decision, not the view's.
"""

from django.http import HttpRequest

from helseportal.core.actor import ANONYMOUS, Actor


def actor_of(request: HttpRequest) -> Actor:
    """The Actor of this request; the anonymous one before the middleware ran (error pages, early failures)."""
    actor = getattr(request, "actor", None)
    return actor if isinstance(actor, Actor) else ANONYMOUS


def set_actor(request: HttpRequest, actor: Actor) -> None:
    """Put the Actor on the request (the middleware does this once per request; the login after a choice)."""
    request.__dict__["actor"] = actor
