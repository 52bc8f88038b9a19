"""The authorization request (OIDC Core §3.1.2.1) and its checks, in the order the RFCs ask for them."""

import re
from dataclasses import astuple, dataclass, fields
from typing import Self
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.utils.translation import gettext as _

from helseportal.identity.devidp.clients import redirect_uri_allowed
from helseportal.identity.devidp.providers import Provider

# BASE64URL(SHA-256(verifier)) is always 43 characters (RFC 7636 §4.2).
S256_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")
MAX_PARAMETER_LENGTH = 2000


class UntrustedRedirect(Exception):
    """The client or its redirect_uri is unknown: the error is shown here, never sent anywhere (RFC 6749 §4.1.2.1)."""


class AuthorizationError(Exception):
    """An error for the client, sent back to its (verified) redirect_uri."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


@dataclass(frozen=True)
class AuthorizationRequest:
    client_id: str
    redirect_uri: str
    response_type: str
    scope: str
    state: str
    nonce: str
    code_challenge: str
    code_challenge_method: str
    acr_values: str
    prompt: str

    @classmethod
    def from_data(cls, data: QueryDict) -> Self:
        return cls(*(data.get(f.name, "") for f in fields(cls)))

    def hidden_fields(self) -> list[tuple[str, str]]:
        """The parameters to carry through the login form, so the POST can check them all again."""
        return [(f.name, value) for f, value in zip(fields(self), astuple(self), strict=True) if value]


def check_client(request: HttpRequest, provider: Provider, data: QueryDict, params: AuthorizationRequest) -> None:
    for name in ("client_id", "redirect_uri"):
        if len(data.getlist(name)) > 1:
            raise UntrustedRedirect(_("Parameteren %(name)s er oppgitt mer enn én gang.") % {"name": name})
    if params.client_id != provider.client_id:
        raise UntrustedRedirect(_("Klienten «%(client)s» er ikke registrert.") % {"client": params.client_id})
    if not redirect_uri_allowed(request, provider, params.redirect_uri):
        raise UntrustedRedirect(_("Adressen innloggingen skulle sendes tilbake til, er ikke godkjent for klienten."))


def check_request(data: QueryDict, params: AuthorizationRequest) -> None:
    repeated = [name for name in data if len(data.getlist(name)) > 1 and name in _names()]
    if repeated:
        raise AuthorizationError("invalid_request", f"Parameter given more than once: {repeated[0]}.")
    if any(len(value) > MAX_PARAMETER_LENGTH for value in astuple(params)):
        raise AuthorizationError("invalid_request", "A parameter is too long.")
    if params.response_type != "code":
        raise AuthorizationError("unsupported_response_type", "Only response_type=code is supported.")
    if "openid" not in params.scope.split():
        raise AuthorizationError("invalid_scope", "The scope must contain openid.")
    if not params.state:
        raise AuthorizationError("invalid_request", "state is required.")
    if not params.nonce:
        raise AuthorizationError("invalid_request", "nonce is required.")
    if params.code_challenge_method != "S256" or not S256_CHALLENGE.fullmatch(params.code_challenge):
        raise AuthorizationError("invalid_request", "PKCE with code_challenge_method=S256 is required.")


def _names() -> set[str]:
    return {f.name for f in fields(AuthorizationRequest)}


def redirect_with(uri: str, values: dict[str, str]) -> HttpResponseRedirect:
    """Redirect to `uri` with `values` added to whatever query it already has."""
    parts = urlsplit(uri)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), *values.items()])
    return HttpResponseRedirect(urlunsplit(parts._replace(query=query)))


def error_redirect(params: AuthorizationRequest, error: AuthorizationError, issuer: str) -> HttpResponseRedirect:
    values = {"error": error.error, "error_description": error.description}
    if params.state:
        values["state"] = params.state
    values["iss"] = issuer  # RFC 9207: lets the client tell which provider answered
    return redirect_with(params.redirect_uri, values)
