"""What the provider must remember between requests: issued codes and the client assertions already seen."""

from django.db import models
from django.utils import timezone


class AuthorizationCode(models.Model):
    """A code handed to the client's redirect_uri; redeemable once, within a minute, by the same client."""

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
