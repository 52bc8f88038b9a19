"""How fast failed logins from one source are written to the audit log.

A refused login is audited (`identity:login:failed`), and the callback is open to anyone: 200 forged callbacks
once wrote 200 permanent audit rows in under three seconds. Per source and window, the first failures are
recorded with their reason; the first one past the limit is recorded once as `too_many_failures`; the rest are
only counted. The person still sees the failure page every time.
"""

import ipaddress
import time

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from helseportal.identity import services

# Our own choice, not a rule from a source: ten refusals in ten minutes is more than a person retrying a login
# makes, and keeps what one address can write to the audit log to about 1,500 rows a day.
WINDOW_SECONDS = 10 * 60
RECORDED_PER_WINDOW = 10
TOO_MANY = "too_many_failures"


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind N trusted proxies the Nth entry from the right of
    X-Forwarded-For (HELSEPORTAL_FORWARDED_HOPS). Entries further left are written by the client: not trusted."""
    hops = settings.HELSEPORTAL_FORWARDED_HOPS
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops > 0 and len(forwarded) >= hops:
        return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))


def source_key(request: HttpRequest) -> str:
    """A keyed hash of the source: an IPv6 client counts by its /64, which one household or host gets whole."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
        address = str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
    except ValueError:
        address = address[:100]
    return salted_hmac("helseportal.identity.throttle", address, algorithm="sha256").hexdigest()


def reason_to_record(request: HttpRequest, reason: str) -> str | None:
    """Count this failure; return the reason to audit, TOO_MANY once past the limit, or None to record nothing."""
    count = services.count_failed_login(source_key(request), int(time.time() // WINDOW_SECONDS))
    if count <= RECORDED_PER_WINDOW:
        return reason
    return TOO_MANY if count == RECORDED_PER_WINDOW + 1 else None
