"""Which service a page belongs to: the resolved route's name (namespace first) → the service's key (catalogue.py).

One table, `PAGES`: an entry is a whole namespace ("messaging") or one route ("records:journal"); the route's own
entry wins over its namespace's. A route that maps to None is left out on purpose (the reason beside it); a route
in no entry counts under no service. `tests/test_stats_pages.py` holds every citizen route (level high or
substantial) to one or the other, as `tests/test_routes.py` does for levels: a new page is mapped when it is added.

The middleware (`stats.middleware.page_views`) reads this table for every response: two dict look-ups, no query.
Staff pages (level practitioner) are not counted: their namespace may be mapped here, but the middleware counts
only a citizen or someone acting for one.
"""

from django.urls import ResolverMatch

PAGES: dict[str, str | None] = {
    # Whole namespaces: one service each.
    "pregnancy": "pregnancy",
    "youth": "youth",
    "messaging": "messages",
    "forms": "forms",
    "appointments": "appointments",
    "gpservices": "gpservices",
    "copayments": "copayments",
    "gp": "gp",
    "travel": "travel",
    "audit": "audit_log",  # /logg/: "Hvem har sett"
    "access": "profile",  # /profil/…: contact details, powers of attorney, youth access
    # The records namespace holds several services (ADR 0014): one entry a route.
    "records:medications": "medicines",
    "records:prescription": "medicines",
    "records:prescription_renewal": "medicines",
    "records:journal": "documents",
    "records:journal_document": "documents",
    "records:journal_download": "documents",
    "records:journal_file": "documents",
    "records:referrals": "referrals",
    "records:referral": "referrals",
    "records:results": "results",
    "records:result": "results",
    "records:results_analyses": "results",
    "records:results_analysis": "results",
    "records:vaccines": "vaccines",
    "records:vaccines_certificate": "vaccines",
    "records:contacts": "contacts",
    # Single routes outside a service's namespace.
    "home": "home",  # /min-side/
    "access:choose": "home",  # /velg-person/: whom she acts for, part of Min side
    "smart:disconnect": "profile",  # /profil/apper/…: a connected app, on her profile
    # Left out on purpose.
    "smart:authorize": None,  # the OAuth consent step of an app's login, not a page of a service
}


def service_of(match: ResolverMatch | None) -> str | None:
    """The service key of a resolved route, or None when it counts under no service."""
    if match is None:
        return None
    name = match.view_name
    if name in PAGES:
        return PAGES[name]
    return PAGES.get(match.namespace) if match.namespace else None
