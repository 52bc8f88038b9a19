"""Every citizen route counts under a service or is left out on purpose; a page view counts once per 200 GET."""

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from helseportal import catalogue
from helseportal.core.actor import Role
from helseportal.core.routes import Level, route_level
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.stats import services
from helseportal.stats.models import Counter
from helseportal.stats.pages import PAGES, service_of

CITIZEN = {Level.HIGH, Level.SUBSTANTIAL}


def walk(patterns: list, namespace: str = "", app: str | None = None) -> Iterator[tuple[str, URLPattern, str | None]]:
    """Each route's view name (namespace first, as `resolver_match.view_name`), its pattern and its app."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from walk(entry.url_patterns, inner or "", entry.app_name or app)
        elif entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry, app


def citizen_routes() -> list[str]:
    return [name for name, p, app in walk(get_resolver().url_patterns) if route_level(p.callback, app) in CITIZEN]


def test_every_citizen_route_is_mapped_to_a_service_or_left_out_on_purpose():
    unmapped = [name for name in citizen_routes() if name not in PAGES and name.partition(":")[0] not in PAGES]
    assert not unmapped, f"citizen routes with no service (add them to stats/pages.py PAGES, or None): {unmapped}"


def test_every_mapped_key_is_a_catalogue_service():
    unknown = {key for key in PAGES.values() if key is not None and catalogue.by_key(key) is None}
    assert not unknown, f"keys in stats/pages.py that catalogue.py does not have: {unknown}"


def test_every_catalogue_service_has_a_unique_key_and_pages_that_count_under_it():
    keys = [s.key for s in (*catalogue.SERVICES, *catalogue.COUNTED)]
    assert len(keys) == len(set(keys))
    assert catalogue.by_key("pregnancy").url_name == "pregnancy:overview"
    for service in catalogue.SERVICES:  # each service's start page counts under its own key
        assert service_of(resolve(service.url)) == service.key, service.key


def test_the_front_page_lists_the_same_services_as_before():
    assert [s.url_name for s in catalogue.SERVICES][:3] == ["pregnancy:overview", "youth:school", "messaging:inbox"]
    assert len(catalogue.SERVICES) == 15


def test_a_route_wins_over_its_namespace_and_public_pages_count_under_none():
    assert service_of(resolve("/vaksiner/")) == "vaccines"
    assert service_of(resolve("/provesvar/")) == "results"
    assert service_of(resolve("/gravid/")) == "pregnancy"
    assert service_of(resolve("/om/")) is None
    assert service_of(resolve("/")) is None
    assert service_of(None) is None


@pytest.fixture
def counted(db):
    """The counters by (event, service)."""
    services.discard()
    yield lambda: {(c.event, c.service): c.count for c in Counter.objects.all()}
    services.discard()


def test_a_page_view_counts_once_per_200_get_and_never_for_a_redirect_or_a_404(
    client, counted, django_capture_on_commit_callbacks
):
    load_demo()
    with django_capture_on_commit_callbacks(execute=True):  # as if each request had committed
        client.get("/gravid/")  # not logged in: a redirect to login, nothing counted
    assert counted() == {}
    log_in(client, actors.citizen(personas.KARI))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get("/meldinger/").status_code == 200
        assert client.get("/meldinger/").status_code == 200
        assert client.get("/meldinger/999999/").status_code == 404
        assert client.get("/om/").status_code == 200  # public, under no service
        client.post("/meldinger/ny/", {})  # a POST is not a view, whatever it answers
    assert counted() == {("view", "messages"): 2}


def test_a_parent_acting_for_a_child_counts_as_a_view_of_the_service_and_staff_pages_not_at_all(
    client, counted, django_capture_on_commit_callbacks
):
    load_demo()
    from helseportal.identity.models import Person

    kari = actors.citizen(personas.KARI)
    child = Person.objects.get(pid=personas.OLA.pid)
    log_in(client, kari.acting_for(child.pk, Role.PARENT))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get("/vaksiner/").status_code == 200
    log_in(client, actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get("/helsepersonell/meldinger/").status_code == 200
    assert counted() == {("view", "vaccines"): 1}
