"""The authorization endpoint: check the request, show the test login page, issue a code for the choice made."""

from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import OAuth2Error
from authlib.oauth2.rfc6749.grants import BaseGrant
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from helseportal.core.routes import public
from helseportal.identity import csp
from helseportal.identity.devidp import identities, sessions
from helseportal.identity.devidp.models import ProviderSession
from helseportal.identity.devidp.providers import IDPORTEN, Provider, get_provider
from helseportal.identity.devidp.server import DevIdpServer, Subject
from helseportal.identity.models import Person, Practitioner

# The authorization request's parameters, carried through the login form so the POST is checked all over again.
CARRIED = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "acr_values",
    "prompt",
)
# Parameters RFC 6749 §3.1 allows once only; authlib refuses a repeat before it knows where it may redirect.
SINGLE = ("client_id", "redirect_uri", "response_type", "scope", "state")


@public
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest, provider: str) -> HttpResponse:
    """Show the login page for a valid request (GET); log the chosen persona in (POST from that page).

    With a live provider session (single sign-on) a GET logs the same person in again without the page, unless
    the client asks for a fresh login (`prompt=login`) or a higher level than the session has; `prompt=none`
    without one is answered with login_required. authlib checks the request and answers its errors.
    """
    idp = get_provider(provider)
    server = DevIdpServer(request, idp)
    session = sessions.current(request, idp) if request.method == "GET" else None
    data = request.GET if request.method == "GET" else request.POST
    if session is not None and not _single_sign_on(idp, data, session):
        session = None
    try:
        grant = server.consent_grant(request, end_user=session)
    except OAuth2Error as error:
        answer = server.authorization_error(request, error)
        return answer or _untrusted(request, idp, server, data)
    if request.method == "POST":
        return _log_in(request, idp, server, grant, request.POST)
    if session is not None and grant.prompt != "login":
        return _issue(server, grant, session)
    return _login_page(request, idp, grant)


def _untrusted(request: HttpRequest, idp: Provider, server: DevIdpServer, data: QueryDict) -> HttpResponse:
    """The error page for a request whose client or redirect_uri is not known: never a redirect (RFC 6749 §4.1.2.1)."""
    client_id = data.get("client_id", "")
    repeated = next((name for name in SINGLE if len(data.getlist(name)) > 1), None)
    if repeated:
        message = _("Parameteren %(name)s er oppgitt mer enn én gang.") % {"name": repeated}
    elif server.query_client(client_id) is None:
        message = _("Klienten «%(client)s» er ikke registrert.") % {"client": client_id}
    else:
        message = _("Adressen innloggingen skulle sendes tilbake til, er ikke godkjent for klienten.")
    return render(request, "devidp/error.html", {"provider": idp, "message": message}, status=400)


def _single_sign_on(idp: Provider, data: QueryDict, session: ProviderSession) -> bool:
    if idp is IDPORTEN:  # a MinID session does not give the high level a step-up asks for
        return session.claims.get("acr") in {m.acr for m in identities.methods_for(data.get("acr_values", ""))}
    return True


def _log_in(
    request: HttpRequest, idp: Provider, server: DevIdpServer, grant: BaseGrant, form: QueryDict
) -> HttpResponse:
    try:
        claims, subject_key = _chosen_identity(idp, form)
    except identities.InvalidChoice as error:
        typed = form.get("login", "").startswith("typed:")
        return _login_page(request, idp, grant, error=str(error), typed_pid=form.get("pid", "") if typed else None)
    session, token = sessions.start(idp, claims, subject_key)
    response = _issue(server, grant, session)
    sessions.remember(response, idp, token)
    return response


def _issue(server: DevIdpServer, grant: BaseGrant, session: ProviderSession) -> HttpResponse:
    """Send the browser back to the client with a code for the session's person (authlib makes and stores it)."""
    sessions.add_client(session, grant.redirect_uri)
    client_id = grant.request.client.get_client_id()
    claims = {
        **session.claims,
        **identities.session_claims(client_id, session.subject_key, session.sid, session.auth_time),
    }
    response: HttpResponse = server.create_authorization_response(grant.request, Subject(claims), grant)
    return response


def _chosen_identity(idp: Provider, form: QueryDict) -> tuple[dict[str, Any], str]:
    """Claims for the button pressed, and the key its pairwise sub is made from."""
    who, _sep, how = form.get("login", "").partition(":")
    if idp is IDPORTEN:
        method = next((m for m in identities.methods_for(form.get("acr_values", "")) if m.key == how), None)
        if method is None:
            raise identities.InvalidChoice(_("Velg en innloggingsmåte som tjenesten godtar."))
        pid = identities.synthetic_pid(form.get("pid", "")) if who == "typed" else identities.listed_pid(who)
        return identities.citizen_claims(pid, method), pid
    hpr_number = None if who == identities.NO_HPR.key else who
    claims = identities.practitioner_claims(hpr_number, how)
    return claims, claims.get("helseid://claims/identity/pid") or f"hpr:{hpr_number}"


def _login_page(
    request: HttpRequest,
    idp: Provider,
    grant: BaseGrant,
    error: str = "",
    typed_pid: str | None = None,
) -> HttpResponse:
    """Render the persona list; `typed_pid` is set when the error belongs to the typed-number field."""
    data = grant.request.payload.data
    context: dict[str, Any] = {
        "provider": idp,
        "hidden_fields": [(name, data[name]) for name in CARRIED if data.get(name)],
        "error": error,
        "typed_pid": typed_pid or "",
        "pid_invalid": bool(error) and typed_pid is not None,
    }
    if idp is IDPORTEN:
        today = timezone.localdate()
        methods = identities.methods_for(data.get("acr_values", ""))
        context["methods"] = methods
        context["high_required"] = identities.MINID not in methods
        context["persons"] = [
            (person, person.age_on(today)) for person in Person.objects.order_by("family_name", "given_name")
        ]
        return _may_return_to(render(request, "devidp/login_idporten.html", context), grant.redirect_uri)
    context["practitioners"] = Practitioner.objects.order_by("family_name", "given_name")
    context["no_hpr"] = identities.NO_HPR
    return _may_return_to(render(request, "devidp/login_helseid.html", context), grant.redirect_uri)


def _may_return_to(response: HttpResponse, redirect_uri: str) -> HttpResponse:
    """Let the login form's answer redirect to the client (already checked): CSP form-action covers redirects."""
    parts = urlsplit(redirect_uri)
    csp.add_sources(response, "form-action", [f"{parts.scheme}://{parts.netloc}"])
    return response
