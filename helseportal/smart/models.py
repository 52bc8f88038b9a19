"""The authorization server's tables: API clients, a citizen's connections to apps, codes, tokens, used assertions.

Tokens are opaque random strings stored only as their SHA-256 (`hash_secret`), never signed JWTs: every API
request looks its token up anyway (revoked? client disabled? may the parent still act for the child?), so a
self-contained JWT would save nothing and could not be revoked at once; a copy of this table lets nobody in.
The methods named `get_*`/`check_*` are authlib's model interface (`authlib.oauth2.rfc6749.models`).
"""

import datetime
import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helseportal.identity.models import Person
from helseportal.organisations.models import Unit
from helseportal.smart import scopes as smart_scopes

# Our choices, not from a source: a system's token lives as long as SMART Backend Services recommends at most
# (5 minutes); an app's 1 hour, after which it uses its refresh token. A code must be used within 2 minutes
# (RFC 6749 § 4.1.2: "a maximum … of 10 minutes is RECOMMENDED").
SYSTEM_TOKEN_SECONDS = 5 * 60
APP_TOKEN_SECONDS = 60 * 60
CODE_SECONDS = 2 * 60
# How long a connection lasts: with `offline_access` until she disconnects it, but at most 90 days from her
# consent; with `online_access` as long as a login to the portal may last (120 minutes). Our choice.
OFFLINE_DAYS = 90
ONLINE_SECONDS = 120 * 60


def hash_secret(secret: str) -> str:
    """What is stored for a token or code: 256 random bits need no slow hash, only not to be kept in clear."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Kind(models.TextChoices):
    # Operators' words (the command and the admin), not shown to citizens: not translated.
    SYSTEM = "system", "system"  # SMART Backend Services: client_credentials, its unit's patients
    APP = "app", "app"  # SMART App Launch: a citizen connects it to her own or her child's data


class Client(models.Model):
    """An API client: a record system of one unit, or a citizen's app. Registered with `helseportal fhir-client`."""

    client_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    jwks = models.JSONField(null=True, blank=True)  # the registered public keys (a JWK Set), or
    jwks_url = models.URLField(max_length=500, blank=True)  # where the client publishes them
    scopes = models.JSONField(default=list)  # the scopes it may be granted at most
    redirect_uris = models.JSONField(default=list)  # an app's, compared exactly
    public = models.BooleanField(default=False)  # an app without keys: PKCE only, no client authentication
    disabled = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="system") | models.Q(unit__isnull=False, public=False),
                name="smart_system_client_has_unit_and_keys",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    @property
    def access_token_seconds(self) -> int:
        return SYSTEM_TOKEN_SECONDS if self.kind == Kind.SYSTEM else APP_TOKEN_SECONDS

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The requested scopes narrowed to what this client may have; None (invalid_scope) when nothing is left."""
        granted = smart_scopes.narrow((scope or "").split(), self.scopes, kind=self.kind)
        return " ".join(granted) or None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return False  # no shared secrets: private_key_jwt or, for a public app, PKCE

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == ("none" if self.public else "private_key_jwt")

    def check_response_type(self, response_type: str) -> bool:
        return self.kind == Kind.APP and response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        if self.kind == Kind.SYSTEM:
            return grant_type == "client_credentials"
        return grant_type in ("authorization_code", "refresh_token")


class Connection(models.Model):
    """A citizen's consent that an app may use one person's data: her own, or a child's she may act for.

    The profile lists them ("Apper du har koblet til"); disconnecting one revokes every token issued under it.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="connections")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")  # who consented
    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")  # whose data
    role = models.CharField(max_length=20)  # core.actor.Role: citizen, parent or proxy
    scope = models.TextField()
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()  # no refresh token of it lives longer
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.client.name}: person {self.person_id} for {self.subject_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


def connection_lifetime(scope: str) -> datetime.timedelta:
    if "offline_access" in scope.split():
        return datetime.timedelta(days=OFFLINE_DAYS)
    if "online_access" in scope.split():
        return datetime.timedelta(seconds=ONLINE_SECONDS)
    return datetime.timedelta(seconds=APP_TOKEN_SECONDS)  # no refresh token: as long as the one access token


class AuthorizationCode(models.Model):
    code_hash = models.CharField(max_length=64, unique=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="codes")
    redirect_uri = models.CharField(max_length=500)
    scope = models.TextField()
    nonce = models.CharField(max_length=255, blank=True)
    code_challenge = models.CharField(max_length=128)
    code_challenge_method = models.CharField(max_length=10)
    auth_time = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"code for connection {self.connection_id}"

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce or None

    def get_auth_time(self) -> int:
        return int(self.auth_time.timestamp())

    def get_acr(self) -> str | None:
        return "idporten-loa-high"  # the consent page is a `high` route: BankID or equal

    def get_amr(self) -> list[str] | None:
        return None


class Token(models.Model):
    """One access token, with an app's refresh token beside it (rotated: each use makes a new row)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="tokens")
    connection = models.ForeignKey(Connection, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens")
    access_token_hash = models.CharField(max_length=64, unique=True)
    refresh_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    scope = models.TextField()
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    refresh_expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    rotated_at = models.DateTimeField(null=True, blank=True)  # its refresh token was used for a new token

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"token of {self.client_id}, expires {self.expires_at:%Y-%m-%d %H:%M}"

    def check_client(self, client: Client) -> bool:
        return self.client_id == client.pk

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return int((self.expires_at - self.issued_at).total_seconds())

    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def get_user(self) -> Connection | None:
        return self.connection

    def get_client(self) -> Client:
        return self.client


class UsedAssertion(models.Model):
    """A client assertion's `jti`, kept until the assertion expires: a second use is a replay (RFC 7523 § 3)."""

    client_id = models.CharField(max_length=64)
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client_id", "jti"], name="smart_assertion_jti_once")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.jti}"
