"""What the provider must remember between requests: issued codes and the client assertions already seen."""

from typing import Any

from authlib.oidc.core import AuthorizationCodeMixin
from django.db import models
from django.utils import timezone


class AuthorizationCode(models.Model, AuthorizationCodeMixin):
    """A code handed to the client's redirect_uri; redeemable once, within a minute, by the same client.

    The getters are what authlib's code grant and OpenID Connect read from a stored code.
    """

    # SHA-256 of the code: a copy of the database holds nothing that can be redeemed.
    code_hash = models.CharField(max_length=64, unique=True)
    provider = models.CharField(max_length=16)
    client_id = models.CharField(max_length=200)
    redirect_uri = models.TextField()
    code_challenge = models.CharField(max_length=43)
    nonce = models.TextField()
    scope = models.TextField()
    # sub, sid, auth_time and the identity claims, fixed when the person chose how to log in.
    claims = models.JSONField()
    created = models.DateTimeField(default=timezone.now)
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.provider} code for {self.client_id} ({'used' if self.used else 'unused'})"

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str:
        return self.nonce

    def get_auth_time(self) -> Any:
        return self.claims.get("auth_time")

    def get_acr(self) -> Any:
        return self.claims.get("acr")

    def get_amr(self) -> Any:
        return self.claims.get("amr")


class UsedAssertion(models.Model):
    """The jti of a client assertion already accepted; a second use is a replay (RFC 7523 §3)."""

    provider = models.CharField(max_length=16)
    client_id = models.CharField(max_length=200)
    jti = models.CharField(max_length=200)
    # After this the assertion's own exp refuses it, so the row can go.
    expires = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "client_id", "jti"], name="devidp_unique_assertion_jti")
        ]

    def __str__(self) -> str:
        return f"{self.provider} assertion {self.jti} from {self.client_id}"


class ProviderSession(models.Model):
    """The provider's own login session (single sign-on), as ID-porten and HelseID keep one.

    The browser holds a random token in a cookie on the provider's origin; only its hash is stored. While the
    session lives, an authorization request logs the same person in again without the login page, which is
    why a client's logout must end it (RP-initiated logout) and why ending it tells every client that used it
    (front-channel logout).
    """

    token_hash = models.CharField(max_length=64, unique=True)
    provider = models.CharField(max_length=16)
    sid = models.CharField(max_length=64)
    subject_key = models.CharField(max_length=100)
    # The identity claims chosen on the login page (pid, acr, amr … or HelseID's), reused for single sign-on.
    claims = models.JSONField()
    auth_time = models.BigIntegerField()
    # The front-channel logout URIs of the clients this session logged in.
    clients = models.JSONField(default=list)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.provider} session {self.sid}"
