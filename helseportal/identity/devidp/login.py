"""The authorization endpoint: check the request, show the test login page, issue a code for the choice made."""

from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from helseportal.core.routes import public
from helseportal.identity import csp
from helseportal.identity.devidp import identities, sessions
from helseportal.identity.devidp.authrequest import (
    AuthorizationError,
    AuthorizationRequest,
    UntrustedRedirect,
    check_client,
    check_request,
    error_redirect,
    redirect_with,
)
from helseportal.identity.devidp.codes import issue_code
from helseportal.identity.devidp.models import ProviderSession
from helseportal.identity.devidp.providers import IDPORTEN, Provider, get_provider
from helseportal.identity.models import Person, Practitioner


@public
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest, provider: str) -> HttpResponse:
    """Show the login page for a valid request (GET); log the chosen persona in (POST from that page).

    With a live provider session (single sign-on) a GET logs the same person in again without the page, unless
    the client asks for a fresh login (`prompt=login`) or a higher level than the session has.
    """
    idp = get_provider(provider)
    data = request.GET if request.method == "GET" else request.POST
    params = AuthorizationRequest.from_data(data)
    try:
        check_client(request, idp, data, params)
        check_request(data, params)
    except UntrustedRedirect as error:
        return render(request, "devidp/error.html", {"provider": idp, "message": str(error)}, status=400)
    except AuthorizationError as error:
        return error_redirect(params, error, idp.issuer(request))
    if request.method == "POST":
        return _log_in(request, idp, params, request.POST)
    session = sessions.current(request, idp)
    if session is not None and _single_sign_on(idp, params, session):
        return _issue(request, idp, params, session)
    if "none" in params.prompt.split():  # OIDC Core §3.1.2.6: no page may be shown
        not_logged_in = AuthorizationError("login_required", "The person is not logged in at the provider.")
        return error_redirect(params, not_logged_in, idp.issuer(request))
    return _login_page(request, idp, params)


def _single_sign_on(idp: Provider, params: AuthorizationRequest, session: ProviderSession) -> bool:
    if "login" in params.prompt.split():
        return False
    if idp is IDPORTEN:  # a MinID session does not give the high level a step-up asks for
        return session.claims.get("acr") in {m.acr for m in identities.methods_for(params.acr_values)}
    return True


def _log_in(request: HttpRequest, idp: Provider, params: AuthorizationRequest, form: QueryDict) -> HttpResponse:
    try:
        claims, subject_key = _chosen_identity(idp, params, form)
    except identities.InvalidChoice as error:
        typed = form.get("login", "").startswith("typed:")
        return _login_page(request, idp, params, error=str(error), typed_pid=form.get("pid", "") if typed else None)
    session, token = sessions.start(idp, claims, subject_key)
    response = _issue(request, idp, params, session)
    sessions.remember(response, idp, token)
    return response


def _issue(request: HttpRequest, idp: Provider, params: AuthorizationRequest, session: ProviderSession) -> HttpResponse:
    """Send the browser back to the client with a code for the session's person."""
    sessions.add_client(session, params.redirect_uri)
    claims = {
        **session.claims,
        **identities.session_claims(params.client_id, session.subject_key, session.sid, session.auth_time),
    }
    code = issue_code(idp, params, claims)
    return redirect_with(params.redirect_uri, {"code": code, "state": params.state, "iss": idp.issuer(request)})


def _chosen_identity(idp: Provider, params: AuthorizationRequest, form: QueryDict) -> tuple[dict[str, Any], str]:
    """Claims for the button pressed, and the key its pairwise sub is made from."""
    who, _sep, how = form.get("login", "").partition(":")
    if idp is IDPORTEN:
        method = next((m for m in identities.methods_for(params.acr_values) if m.key == how), None)
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
    params: AuthorizationRequest,
    error: str = "",
    typed_pid: str | None = None,
) -> HttpResponse:
    """Render the persona list; `typed_pid` is set when the error belongs to the typed-number field."""
    context: dict[str, Any] = {
        "provider": idp,
        "hidden_fields": params.hidden_fields(),
        "error": error,
        "typed_pid": typed_pid or "",
        "pid_invalid": bool(error) and typed_pid is not None,
    }
    if idp is IDPORTEN:
        today = timezone.localdate()
        methods = identities.methods_for(params.acr_values)
        context["methods"] = methods
        context["high_required"] = identities.MINID not in methods
        context["persons"] = [
            (person, person.age_on(today)) for person in Person.objects.order_by("family_name", "given_name")
        ]
        return _may_return_to(render(request, "devidp/login_idporten.html", context), params.redirect_uri)
    context["practitioners"] = Practitioner.objects.order_by("family_name", "given_name")
    context["no_hpr"] = identities.NO_HPR
    return _may_return_to(render(request, "devidp/login_helseid.html", context), params.redirect_uri)


def _may_return_to(response: HttpResponse, redirect_uri: str) -> HttpResponse:
    """Let the login form's answer redirect to the client (already checked): CSP form-action covers redirects."""
    parts = urlsplit(redirect_uri)
    csp.add_sources(response, "form-action", [f"{parts.scheme}://{parts.netloc}"])
    return response
