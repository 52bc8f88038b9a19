"""Login events. `access` listens and writes the audit records, so identity needs no import from above it.

`identity.services` sends each inside the transaction of the write it describes.
"""

from django.dispatch import Signal

# sender: the provider name ("idporten" | "helseid"); kwargs: actor
login_succeeded = Signal()
# kwargs: reason (a stable code such as "nonce_mismatch")
login_failed = Signal()
# kwargs: actor
logged_out = Signal()
# sender: "grant" | "revoke"; kwargs: hpr_number, detail (the access given: "superuser", "cms: Innholdsredaktører")
staff_access_changed = Signal()
