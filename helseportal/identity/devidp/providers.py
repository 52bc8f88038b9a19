"""The two issuers this provider plays: ID-porten for citizens and HelseID for health personnel."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from helseportal.core.errors import NotFound

WELL_KNOWN = "/.well-known/openid-configuration"
HELSEID = "helseid://claims"


@dataclass(frozen=True)
class Provider:
    name: str
    title: str
    callback_path: str  # the one path on the portal where this provider may send the browser back
    setting_prefix: str
    scopes: tuple[str, ...]
    claims: tuple[str, ...]
    acr_values: tuple[str, ...] = ()

    @property
    def client_id(self) -> str:
        return str(getattr(settings, f"{self.setting_prefix}_CLIENT_ID"))

    @property
    def client_key_path(self) -> str:
        return str(getattr(settings, f"{self.setting_prefix}_CLIENT_KEY"))

    def issuer(self, request: HttpRequest) -> str:
        return self.url(request, "discovery").removesuffix(WELL_KNOWN)

    def url(self, request: HttpRequest, endpoint: str) -> str:
        """Absolute URL of an endpoint on the host the client used, so 127.0.0.1 and localhost both work."""
        path = reverse(f"devidp:{endpoint}", kwargs={"provider": self.name})
        return f"{request.scheme}://{request.get_host()}{path}"


PROTOCOL_CLAIMS = ("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "sid", "jti")

IDPORTEN = Provider(
    name="idporten",
    title="ID-porten",
    callback_path="/login/callback/",
    setting_prefix="HELSEPORTAL_IDPORTEN",
    scopes=("openid", "profile"),
    claims=(*PROTOCOL_CLAIMS, "pid", "acr", "amr", "locale"),
    acr_values=("idporten-loa-substantial", "idporten-loa-high"),
)
HELSEID_PROVIDER = Provider(
    name="helseid",
    title="HelseID",
    callback_path="/login/helseid/callback/",
    setting_prefix="HELSEPORTAL_HELSEID",
    scopes=(
        "openid",
        "profile",
        "helseid://scopes/identity/pid",
        "helseid://scopes/identity/security_level",
        "helseid://scopes/identity/assurance_level",
        "helseid://scopes/hpr/hpr_number",
    ),
    claims=(
        *PROTOCOL_CLAIMS,
        "amr",
        "name",
        "given_name",
        "family_name",
        f"{HELSEID}/identity/pid",
        f"{HELSEID}/identity/security_level",
        f"{HELSEID}/identity/assurance_level",
        f"{HELSEID}/hpr/hpr_number",
    ),
)
PROVIDERS = {p.name: p for p in (IDPORTEN, HELSEID_PROVIDER)}


def get_provider(name: str) -> Provider:
    """The provider a path names; `NotFound` (a 404 page) for any other name."""
    try:
        return PROVIDERS[name]
    except KeyError:
        raise NotFound from None
