"""Login events. `access` listens and writes the audit records, so identity needs no import from above it."""

from django.dispatch import Signal

# sender: the provider name ("idporten" | "helseid"); kwargs: request, actor
login_succeeded = Signal()
# kwargs: request, reason (a stable code such as "nonce_mismatch")
login_failed = Signal()
# kwargs: request, actor
logged_out = Signal()
# sender: "grant" | "revoke"; kwargs: hpr_number, detail (the access given: "superuser", "cms: Innholdsredaktører")
staff_access_changed = Signal()
