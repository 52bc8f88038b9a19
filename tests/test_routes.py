"""Every route is classified (public, substantial, high, practitioner, system): ARCHITECTURE.md rule 2."""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from helseportal.core.routes import Level, route_level


def walk(patterns: list, prefix: str = "", app: str | None = None) -> Iterator[tuple[str, URLPattern, str | None]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), entry.app_name or app)
        else:
            yield prefix + str(entry.pattern), entry, app


def test_every_route_has_a_level():
    routes = walk(get_resolver().url_patterns)
    unclassified = [route for route, p, app in routes if route_level(p.callback, app) is None]
    assert not unclassified, (
        f"routes without a level (add @public/@high/… from helseportal.core.routes): {unclassified}"
    )


def test_the_route_walk_sees_the_portal_and_its_levels():
    levels = {route: route_level(p.callback, app) for route, p, app in walk(get_resolver().url_patterns)}
    assert levels[""] == Level.PUBLIC
    assert levels["healthz"] == Level.PUBLIC
    assert levels["admin/"] == Level.SYSTEM


def test_an_unclassified_view_is_closed(client, settings):
    from helseportal.core.routes import RouteGuard

    def naked_view(request):
        raise AssertionError("the guard must stop the request before the view")

    guard = RouteGuard(lambda request: None)
    request = client.get("/").wsgi_request
    response = guard.process_view(request, naked_view, (), {})
    assert response is not None
    assert response.status_code == 404
