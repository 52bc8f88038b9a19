"""Login, callback and logout for ID-porten (citizens) and HelseID (health personnel)."""

import time
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import login as django_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_POST

from helseportal.core.actor import Actor, Assurance
from helseportal.core.request import actor_of
from helseportal.core.routes import public
from helseportal.identity import csp, loginstate, oidc, queries, services, throttle
from helseportal.identity.claims import citizen_actor, practitioner_actor

# How the Django user of an editor or administrator is logged in (`_log_in_staff`): no password, so no backend
# has to be asked.
STAFF_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    candidate = request.GET.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


@public
@require_GET
def login(request: HttpRequest, provider: str) -> HttpResponse:
    """Send the browser to the provider (urls.py names it). The login state goes into a cookie, not the
    session: no row per visit. ID-porten takes `?acr=idporten-loa-high` to ask for step-up."""
    acr = request.GET.get("acr", "") if provider == "idporten" else ""
    return _start(request, provider, acr if acr == Assurance.HIGH.acr else None)


def _start(request: HttpRequest, name: str, acr: str | None) -> HttpResponse:
    try:
        provider = oidc.provider(name, request)
        url, flow = oidc.authorization_url(request, provider, acr=acr, next_url=_safe_next(request))
    except oidc.LoginError as error:
        return _failed(request, name, error)
    response = redirect(url)
    loginstate.remember(response, name, flow)
    return response


@public
@require_GET
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    return _finish(request, provider)


def _finish(request: HttpRequest, name: str) -> HttpResponse:
    response = _complete(request, name)
    loginstate.forget(response, name)  # a login state is used once, whatever the outcome
    return response


def _complete(request: HttpRequest, name: str) -> HttpResponse:
    try:
        provider = oidc.provider(name, request)
        claims, id_token = oidc.complete(request, provider, loginstate.recall(request, name))
        # The person, the new session and the audit record: all or none. The session is the request's, so the
        # transaction is held here; `services.log_in` writes the rest inside it.
        with transaction.atomic():
            actor = citizen_actor(claims) if name == "idporten" else practitioner_actor(claims)
            _open_session(request, provider, actor, id_token)
            sid, session_key = str(claims.get("sid") or ""), request.session.session_key or ""
            services.log_in(name, actor, issuer=provider.issuer, sid=sid, session_key=session_key)
    except oidc.LoginError as error:
        return _failed(request, name, error)
    return redirect(f"{reverse('access:after_login')}?{urlencode({'next': claims['_next']})}")


def _open_session(request: HttpRequest, provider: oidc.Provider, actor: Actor, id_token: str) -> None:
    # A new session at login: a new key (no fixation), and nothing carried over from whoever used it before,
    # such as an editor's Django login when a citizen logs in next in the same browser.
    request.session.flush()
    rotate_token(request)  # and a new CSRF token, as Django's own login gives
    request.session["actor"] = actor.to_session()
    request.session["login_at"] = time.time()
    request.session["provider"] = provider.name
    request.session["id_token"] = id_token
    # Where this session's browser may be sent at the provider (logout, step-up): CSP form-action allows them.
    request.session["provider_origins"] = sorted(oidc.endpoint_origins(oidc.metadata(provider)[0]))
    _log_in_staff(request, actor)  # an editor or administrator: /cms/ and /admin/ too
    request.session.save()


def _log_in_staff(request: HttpRequest, actor: Actor) -> None:
    """After a HelseID login at level 4: log in the practitioner's Django user, if an operator granted one.

    /cms/ and /admin/ have no password login (`services.grant_staff`); this, in the same session, is their way in,
    so logging out ends both.
    """
    if actor.is_practitioner and actor.hpr_number:
        user = queries.staff_user(actor.hpr_number)
        if user is not None:
            django_login(request, user, backend=STAFF_BACKEND)


def _failed(request: HttpRequest, name: str, error: oidc.LoginError) -> HttpResponse:
    reason = throttle.reason_to_record(request, error.reason)
    if reason is not None:
        services.refuse_login(name, reason)
    retry = reverse("identity:login" if name == "idporten" else "identity:login_helseid")
    context = {"message": error.message, "retry_url": retry, "helseid": name == "helseid"}
    return render(request, "identity/login_failed.html", context, status=403 if error.reason == "no_hpr" else 400)


@public
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """RP-initiated logout: end our session, then ask the provider to end its own.

    The browser follows the redirect from this form's POST to the provider's end_session_endpoint, which CSP
    form-action allows only because the page with the button named the provider's origin (see
    `provider_form_action`); without it the browser stays on the page and the provider's session lives on.
    """
    name, id_token = request.session.get("provider"), request.session.get("id_token")
    services.log_out(name, actor_of(request), session_key=request.session.session_key)
    request.session.flush()
    target = reverse("identity:logged_out")
    if name and id_token:
        try:
            provider = oidc.provider(name, request)
            target = oidc.end_session_url(request, provider, id_token, request.build_absolute_uri(target)) or target
        except oidc.LoginError:
            pass  # the provider is away; our session is gone, which is what matters
    return HttpResponseRedirect(target)


@public
@require_GET
def logged_out_page(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/logged_out.html")


@public
@require_GET
@xframe_options_exempt
def frontchannel_logout(request: HttpRequest) -> HttpResponse:
    """OIDC Front-Channel Logout 1.0: the provider (in an iframe) tells us session `sid` has ended.

    Only the configured providers' pages may frame it (frame-ancestors): the request carries no cookie of ours
    (it is a third-party frame), so the providers' origins come from settings and discovery.
    """
    services.end_provider_session(request.GET.get("iss", ""), request.GET.get("sid", ""))
    response = HttpResponse(b"", content_type="text/plain")
    ancestors = [CSP.SELF, *sorted(oidc.configured_origins(fetch=True))]
    csp.use(response, {"default-src": [CSP.NONE], "frame-ancestors": ancestors})
    return response


@public
@require_GET
def staff_login(request: HttpRequest) -> HttpResponse:
    """The login of /cms/ and /admin/: no password here, HelseID instead (`_log_in_staff`).

    Someone already logged in without access gets a page saying so, not another round trip to HelseID: the
    provider's single sign-on would send them straight back here.
    """
    next_url = _safe_next(request, "/admin/" if request.path.startswith("/admin/") else "/cms/")
    user = request.user
    if user.is_authenticated and _may_enter(user, next_url):
        return HttpResponseRedirect(next_url)
    if user.is_authenticated or actor_of(request).is_practitioner:
        return render(request, "identity/staff_no_access.html", status=403)
    return HttpResponseRedirect(f"{reverse('identity:login_helseid')}?{urlencode({'next': next_url})}")


def _may_enter(user: Any, next_url: str) -> bool:
    if next_url.startswith("/admin/"):
        return bool(user.is_active and user.is_staff)
    return bool(user.has_perm("wagtailadmin.access_admin"))
