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


MAX_PAGE = 10_000  # a list's page number at most: 500,000 rows at 50 a page; a larger one would overflow OFFSET


def page_number(request: HttpRequest, name: str = "side") -> int:
    """The list page the query asks for (`?side=3`): a whole number from 1 to `MAX_PAGE`, else 1."""
    try:
        return min(max(1, int(request.GET.get(name, "1"))), MAX_PAGE)
    except ValueError:
        return 1
