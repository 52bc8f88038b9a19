"""The token endpoint (RFC 6749 §3.2): a code, its PKCE verifier and a client assertion in, tokens out."""

import re

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from helseportal.core.routes import public
from helseportal.identity.devidp.clients import InvalidClient, authenticate_client
from helseportal.identity.devidp.codes import InvalidGrant, redeem_code
from helseportal.identity.devidp.providers import get_provider
from helseportal.identity.devidp.tokens import token_response

# RFC 7636 §4.1: 43 to 128 unreserved characters.
VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")
REQUIRED = ("code", "redirect_uri", "code_verifier")


def oauth_error(error: str, description: str, status: int = 400) -> JsonResponse:
    """An error response as RFC 6749 §5.2 describes it."""
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@public  # the client proves who it is with its assertion, checked below
@csrf_exempt  # called server to server by the portal, never from a browser form
@require_POST
def token(request: HttpRequest, provider: str) -> JsonResponse:
    idp = get_provider(provider)
    form = request.POST
    repeated = [name for name in form if len(form.getlist(name)) > 1]
    if repeated:
        return oauth_error("invalid_request", f"Parameter given more than once: {repeated[0]}.")
    if form.get("grant_type") != "authorization_code":
        return oauth_error("unsupported_grant_type", "Only grant_type=authorization_code is supported.")
    missing = [name for name in REQUIRED if not form.get(name)]
    if missing:
        return oauth_error("invalid_request", f"Missing parameter: {missing[0]}.")
    if not VERIFIER.fullmatch(form["code_verifier"]):
        return oauth_error("invalid_request", "code_verifier must be 43 to 128 unreserved characters.")
    try:
        client = authenticate_client(request, idp, form)
        code = redeem_code(idp, client.client_id, form["code"], form["redirect_uri"], form["code_verifier"])
    except InvalidClient as error:
        return oauth_error("invalid_client", str(error), status=401)
    except InvalidGrant as error:
        return oauth_error("invalid_grant", str(error))
    response = JsonResponse(token_response(idp.issuer(request), code))
    response["Cache-Control"] = "no-store"
    return response
