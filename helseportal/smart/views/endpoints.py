"""The machine-facing endpoints: token, revocation, the ID-token keys, and the discovery documents.

None of them reads the session: clients authenticate with their own keys (or, for a public app, PKCE), so they
are CSRF-exempt. Browser apps call them across origins, hence `Access-Control-Allow-Origin: *` (no cookies are
sent or read).
"""

from typing import Any

from authlib.common.security import is_secure_transport
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from helseportal.core.routes import public, system
from helseportal.fhir.scopes import PERMISSION_ORDER
from helseportal.smart import keys
from helseportal.smart.scopes import APP_EXTRAS
from helseportal.smart.server import ASSERTION_ALGORITHMS, issuer, origin, server, token_endpoint

DISCOVERY_MAX_AGE = 3600


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


def insecure_transport(request: HttpRequest) -> HttpResponse | None:
    """OAuth 2 only over HTTPS (or loopback in development); authlib would raise, we answer 400."""
    if is_secure_transport(request.build_absolute_uri()):
        return None
    return JsonResponse({"error": "invalid_request", "error_description": "OAuth 2 needs HTTPS."}, status=400)


@system
@csrf_exempt
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    """RFC 6749 § 3.2: client_credentials (systems), authorization_code and refresh_token (apps)."""
    if (refusal := insecure_transport(request)) is not None:
        return _cors(refusal)
    return _cors(server.create_token_response(request))


@system
@csrf_exempt
@require_POST
def revoke(request: HttpRequest) -> HttpResponse:
    """RFC 7009: a client revokes its own token."""
    if (refusal := insecure_transport(request)) is not None:
        return _cors(refusal)
    return _cors(server.create_endpoint_response("revocation", request))


def _json(data: dict[str, Any]) -> HttpResponse:
    response = JsonResponse(data)
    response["Cache-Control"] = f"public, max-age={DISCOVERY_MAX_AGE}"
    return _cors(response)


@public
@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    """The public key our ID tokens are signed with."""
    return _json(keys.public_key_set())


def _endpoints(request: HttpRequest) -> dict[str, Any]:
    base = origin(request)
    return {
        "issuer": issuer(request),
        "jwks_uri": f"{base}{reverse('smart:jwks')}",
        "authorization_endpoint": f"{base}{reverse('smart:authorize')}",
        "token_endpoint": token_endpoint(request),
        "revocation_endpoint": f"{base}{reverse('smart:revoke')}",
        "token_endpoint_auth_methods_supported": ["private_key_jwt", "none"],
        "token_endpoint_auth_signing_alg_values_supported": list(ASSERTION_ALGORITHMS),
        "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
    }


def scopes_supported() -> list[str]:
    full = PERMISSION_ORDER
    return [*APP_EXTRAS, "patient/*.rs", f"patient/*.{full}", "system/*.rs", f"system/*.{full}"]


@public
@require_GET
def smart_configuration(request: HttpRequest) -> HttpResponse:
    """SMART App Launch 2.0 § "Conformance": `<fhir base>/.well-known/smart-configuration`."""
    return _json(
        {
            **_endpoints(request),
            "management_endpoint": f"{origin(request)}{reverse('access:profile')}",
            "scopes_supported": scopes_supported(),
            "capabilities": [
                "launch-standalone",
                "client-public",
                "client-confidential-asymmetric",
                "context-standalone-patient",
                "permission-patient",
                "permission-v2",
                "permission-v1",
                "permission-offline",
                "permission-online",
                "sso-openid-connect",
            ],
        }
    )


@public
@require_GET
def openid_configuration(request: HttpRequest) -> HttpResponse:
    """OpenID Connect Discovery for our ID tokens' issuer (`<origin>/oauth`)."""
    return _json(
        {
            **_endpoints(request),
            "scopes_supported": ["openid", "fhirUser"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [keys.signing_algorithm(keys.signing_key())],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "fhirUser"],
        }
    )
