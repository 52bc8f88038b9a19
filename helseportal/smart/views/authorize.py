"""SMART App Launch, standalone patient launch: the authorization endpoint and its consent page.

The route is `high`: the citizen logs in with ID-porten (BankID or equal) first. authlib validates the request
(client, redirect URI, scope, PKCE, `aud`); she picks whose data (herself, or someone `access` lets her act
for) and says yes or no; authlib redirects back to the app with a code or `error=access_denied`.
"""

from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import OAuth2Error
from authlib.oidc.core.errors import ConsentRequiredError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from helseportal.core.actor import Actor
from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.identity import csp
from helseportal.smart import consent, queries, services
from helseportal.smart.queries import Choice
from helseportal.smart.server import AuthorizationCodeGrant, Server
from helseportal.smart.views.endpoints import insecure_transport

# The request's own parameters, carried through the page's "whose data" form (a GET form replaces the query).
OWN_FIELDS = ("for",)


@high
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if (refusal := insecure_transport(request)) is not None:
        return refusal
    server = Server(request)
    try:
        grant = server.consent_grant(request, end_user=actor)
    except OAuth2Error as error:
        return _error(request, server, error)
    if "none" in (grant.request.payload.data.get("prompt") or "").split():
        # prompt=none asks for no page at all, and consent always needs one.
        needs_page = ConsentRequiredError(redirect_uri=grant.redirect_uri, state=grant.request.payload.state)
        return _error(request, server, needs_page)
    choices = queries.launch_choices(actor)
    if request.method == "POST":
        choice = _chosen(choices, request.POST.get("subject"))
        if choice is None:
            raise Http404  # someone she may not act for, or a made-up key: as if it did not exist
        connection = None
        if request.POST.get("decision") == "allow":
            connection = services.connect(actor, client=grant.client, choice=choice, scope=grant.request.scope)
        answer: HttpResponse = server.create_authorization_response(grant.request, grant_user=connection, grant=grant)
        return answer
    choice = _chosen(choices, request.GET.get("for")) or _chosen(choices, str(actor.subject_id)) or choices[0]
    return _consent_page(request, actor, grant, choices, choice)


def _chosen(choices: list[Choice], key: str | None) -> Choice | None:
    return next((choice for choice in choices if str(choice.person.pk) == key), None)


def _consent_page(
    request: HttpRequest, actor: Actor, grant: AuthorizationCodeGrant, choices: list[Choice], choice: Choice
) -> HttpResponse:
    scope: str = grant.request.scope
    client = grant.client
    acting = actor.acting_for(choice.person.pk, choice.role)
    lines = consent.lines(scope, acting)
    context = {
        "client": client,
        "choices": choices,
        "choice": choice,
        "shown": [line for line in lines if line.available],
        "hidden": [line for line in lines if not line.available],
        "lifetime": consent.lifetime_text(scope, timezone.now()),
        "identity": consent.identity_text(scope),
        "return_host": _host(grant.redirect_uri),
        "carried": [(key, value) for key, value in request.GET.items() if key not in OWN_FIELDS],
        "action": request.get_full_path(),
    }
    response = render(request, "smart/consent.html", context)
    # Browsers apply the page's CSP form-action to the redirect that answers its form too: without the app's
    # origin, Chromium blocks the way back to the app with the code (found by tests/browser/test_consent_phone.py).
    parts = urlsplit(grant.redirect_uri)
    csp.add_sources(
        response, "form-action", [f"{parts.scheme}://{parts.netloc}" if parts.netloc else f"{parts.scheme}:"]
    )
    return response


def _host(uri: str) -> str:
    parts = urlsplit(uri)
    return parts.netloc or f"{parts.scheme}:"


def _error(request: HttpRequest, server: Server, error: OAuth2Error) -> HttpResponse:
    """Back to the app with the error when its redirect URI is known good (RFC 6749 § 4.1.2.1); else a page."""
    response = server.authorization_error(request, error)
    if response is not None:
        return response
    return render(request, "smart/authorize_error.html", {"error": error.error}, status=400)
