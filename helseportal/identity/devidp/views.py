"""Discovery, keys, token, userinfo and logout: the provider's endpoints that show no login page."""

from typing import Any
from urllib.parse import urlsplit

from authlib.common.urls import add_params_to_uri
from authlib.integrations.django_oauth2 import ResourceProtector
from authlib.oauth2.rfc6749 import OAuth2Error
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from joserfc import jwt
from joserfc.errors import JoseError

from helseportal.core.routes import public
from helseportal.identity import csp
from helseportal.identity.devidp import sessions
from helseportal.identity.devidp.clients import post_logout_uri_allowed
from helseportal.identity.devidp.providers import Provider, get_provider
from helseportal.identity.devidp.server import ASSERTION_ALGORITHMS, AccessTokenValidator, DevIdpServer
from helseportal.identity.devidp.signing import ALGORITHM, public_key_set, signing_key
from helseportal.identity.oauth_server import bearer_error

# Claims about the token or the login rather than the person; userinfo answers with the rest.
NOT_USERINFO = frozenset({"iss", "aud", "client_id", "scope", "iat", "exp", "jti", "acr", "amr", "auth_time", "sid"})


@public
@require_GET
def discovery(request: HttpRequest, provider: str) -> JsonResponse:
    """OpenID Connect Discovery 1.0 §3, with this request's host in every URL."""
    return JsonResponse(_metadata(request, get_provider(provider)))


def _metadata(request: HttpRequest, idp: Provider) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "issuer": idp.issuer(request),
        "authorization_endpoint": idp.url(request, "authorize"),
        "token_endpoint": idp.url(request, "token"),
        "userinfo_endpoint": idp.url(request, "userinfo"),
        "end_session_endpoint": idp.url(request, "end_session"),
        "jwks_uri": idp.url(request, "jwks"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ASSERTION_ALGORITHMS,
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "subject_types_supported": ["pairwise"],
        "scopes_supported": list(idp.scopes),
        "claims_supported": list(idp.claims),
        "frontchannel_logout_supported": True,
        "frontchannel_logout_session_supported": True,
        "authorization_response_iss_parameter_supported": True,
        "ui_locales_supported": ["nb"],
    }
    if idp.acr_values:
        metadata["acr_values_supported"] = list(idp.acr_values)
    return metadata


@public
@require_GET
def jwks(request: HttpRequest, provider: str) -> JsonResponse:
    get_provider(provider)
    return JsonResponse(public_key_set())


@public  # the client proves who it is with its assertion, checked by authlib
@csrf_exempt  # called server to server by the portal, never from a browser form
@require_POST
def token(request: HttpRequest, provider: str) -> HttpResponse:
    """The token endpoint (RFC 6749 §3.2): a code, its PKCE verifier and a client assertion in, tokens out."""
    response: HttpResponse = DevIdpServer(request, get_provider(provider)).create_token_response(request)
    return response


@public  # the bearer token is the credential, checked below
@csrf_exempt  # called server to server with a bearer token, never with cookies
@require_http_methods(["GET", "POST"])
def userinfo(request: HttpRequest, provider: str) -> JsonResponse:
    protector = ResourceProtector()
    protector.register_token_validator(AccessTokenValidator(get_provider(provider).issuer(request)))
    try:
        token = protector.acquire_token(request, scopes=["openid"])
    except OAuth2Error as error:
        return bearer_error(error)
    response = JsonResponse({k: v for k, v in token.items() if k not in NOT_USERINFO})
    response["Cache-Control"] = "no-store"
    return response


def verify_id_token_hint(issuer: str, value: str) -> dict[str, Any] | None:
    """An id_token_hint's claims if it is ours and unaltered; it may have expired (OIDC RP-Initiated Logout §2)."""
    try:
        token = jwt.decode(value, signing_key(), algorithms=[ALGORITHM])
    except (JoseError, ValueError):
        return None
    return dict(token.claims) if token.claims.get("iss") == issuer else None


@public
@require_GET
def end_session(request: HttpRequest, provider: str) -> HttpResponse:
    """RP-initiated logout: end the provider's session, tell its clients (front-channel), then back to the client.

    The clients' front-channel logout URIs load in hidden iframes on a page that goes on to the client's
    post_logout_redirect_uri once they have loaded (devidp/logout.js; a link without JavaScript).
    """
    idp = get_provider(provider)
    hint = request.GET.get("id_token_hint")
    target = request.GET.get("post_logout_redirect_uri", "")
    hinted: dict[str, Any] = {}
    if hint:
        hinted = verify_id_token_hint(idp.issuer(request), hint) or {}
        if not hinted:
            return _error(request, idp, _("Utloggingen kom med et id_token_hint som ikke er utstedt her."))
    if target and not post_logout_uri_allowed(request, target):
        return _error(request, idp, _("Adressen du skulle sendes til etter utlogging, er ikke godkjent."))
    frames = sessions.end(request, idp, idp.issuer(request), sid=str(hinted.get("sid", "")))
    state = request.GET.get("state")
    back = add_params_to_uri(target, [("state", state)] if state else []) if target else ""
    if back and not frames:
        response: HttpResponse = HttpResponseRedirect(back)
    else:
        context = {"provider": idp, "frames": frames, "continue_url": back}
        response = render(request, "devidp/logged_out.html", context)
        csp.replace_sources(response, "frame-src", sorted({_origin(frame) for frame in frames}))
    sessions.forget(response, idp)
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _error(request: HttpRequest, idp: Provider, message: str) -> HttpResponse:
    return render(request, "devidp/error.html", {"provider": idp, "message": message}, status=400)
