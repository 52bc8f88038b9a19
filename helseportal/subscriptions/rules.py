"""The rules of subscriptions as data and pure functions: the events, the criteria they answer, the channel's limits,
and the retry schedule.

R4 has no SubscriptionTopic, so a subscription names what it wants with an R4 `criteria` query
(`Appointment?status=proposed`), and the domains announce *events* with the facts a criteria is matched
against. A criteria is accepted only if some event can match it (R4: a server SHALL refuse criteria it cannot
serve), so a client is never left waiting for something we never send.
"""

import datetime
import enum
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from django.utils.translation import gettext as _

from helseportal.core.errors import Invalid


class Event(enum.StrEnum):
    """What the domains announce (`services.announce`)."""

    APPOINTMENT_REQUESTED = "appointment-requested"  # Timeønske: a citizen (often a youth) asked the unit for a time
    MESSAGE_TO_UNIT = "message-to-unit"  # Meldinger: a citizen wrote to the unit (a new thread or a reply)
    QUESTIONNAIRE_RESPONSE_TO_UNIT = "questionnaire-response-to-unit"  # Skjema: a citizen sent the unit a form


# Each event's resource type, and its facts for the criteria at a unit (`{unit}`: the unit's logical id).
EVENTS: Mapping[Event, tuple[str, Mapping[str, str]]] = {
    Event.APPOINTMENT_REQUESTED: ("Appointment", {"status": "proposed"}),
    Event.MESSAGE_TO_UNIT: ("Communication", {"recipient": "Organization/{unit}"}),
    Event.QUESTIONNAIRE_RESPONSE_TO_UNIT: ("QuestionnaireResponse", {"status": "completed"}),
}
# Search parameters of reference type: `Organization/7` and `7` mean the same.
REFERENCE_PARAMS = {"recipient": "Organization"}


@dataclass(frozen=True)
class Criteria:
    resource_type: str
    filters: dict[str, list[str]]  # parameter → the values any of which matches (a comma in the query is "or")


def facts(event: Event, unit_id: int) -> tuple[str, dict[str, str]]:
    resource_type, template = EVENTS[event]
    return resource_type, {name: value.format(unit=unit_id) for name, value in template.items()}


def matches(criteria: Criteria, event: Event, unit_id: int) -> bool:
    resource_type, known = facts(event, unit_id)
    if criteria.resource_type != resource_type:
        return False
    return all(known.get(name) in values for name, values in criteria.filters.items())


def parse_criteria(text: str, unit_id: int) -> Criteria:
    """`<Type>[?name=value[,value]&…]` as a `Criteria` for a client of `unit_id`; `Invalid` if no event can match."""
    text = (text or "").strip()
    parts = urlsplit(text)
    resource_type = parts.path
    if parts.scheme or parts.netloc or parts.fragment or not re.fullmatch(r"[A-Z][A-Za-z]+", resource_type):
        raise Invalid(
            _("Kriteriet må være en ressurstype med søkeparametre, for eksempel Appointment?status=proposed.")
        )
    filters: dict[str, list[str]] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        values = [_normalise(name, v.strip()) for v in value.split(",")]
        if not all(values):
            raise Invalid(_("Søkeparameteren %(name)s i kriteriet mangler verdi.") % {"name": name})
        filters.setdefault(name, []).extend(values)
    criteria = Criteria(resource_type, filters)
    if not any(matches(criteria, event, unit_id) for event in Event):
        raise Invalid(
            _("Vi varsler ikke om %(criteria)s. Vi støtter: %(supported)s.")
            % {"criteria": text, "supported": ", ".join(supported(unit_id))}
        )
    return criteria


def _normalise(name: str, value: str) -> str:
    target = REFERENCE_PARAMS.get(name)
    return f"{target}/{value}" if target and value.isdigit() else value


def supported(unit_id: int) -> list[str]:
    """Every criteria we can serve a client of this unit, in its fullest form (for the error message and docs)."""
    found = []
    for event in Event:
        resource_type, known = facts(event, unit_id)
        found.append(resource_type + ("?" + "&".join(f"{k}={v}" for k, v in known.items()) if known else ""))
    return found


# The channel.
PAYLOAD_MIME = "application/fhir+json"
RESERVED_HEADERS = {"content-type", "content-length", "host", "transfer-encoding", "connection"}
RESERVED_PREFIX = "x-helseportal-"
MAX_HEADERS = 10
MAX_HEADER_LENGTH = 1000
_HEADER = re.compile(r"^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([\x20-\x7e\t]+)$")  # RFC 9110 token and visible value


_NUMERIC_HOST = re.compile(r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+))*", re.IGNORECASE)


def check_endpoint(url: str, *, loopback_http: bool) -> str:
    """An https:// address (or http:// to this machine, when `loopback_http`); `Invalid` with why not."""
    url = (url or "").strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")  # `localhost.` is localhost
    plain = bool(host) and not parts.username and not parts.password
    if plain and loopback_http and _is_loopback(host) and parts.scheme in ("http", "https"):
        return url
    if plain and parts.scheme == "https" and not _is_internal(host):
        return url
    raise Invalid(_("Adressen (channel.endpoint) må være en https://-adresse uten brukernavn eller passord."))


def _is_internal(host: str) -> bool:
    """An address literal that is not on the internet (loopback, private, link-local: the metadata service), or one
    written the way only C's resolver reads it (`2130706433`, `0x7f.1`, `127.1`: refused whatever it means). Where
    a name points is checked again at every delivery (egress.py)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return bool(_NUMERIC_HOST.fullmatch(host))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_headers(headers: list[str]) -> list[str]:
    """The client's own headers (`Name: value`), sent with every delivery; ours and the transport's are refused."""
    if len(headers) > MAX_HEADERS:
        raise Invalid(_("Høyst %(max)d egne hoder (channel.header).") % {"max": MAX_HEADERS})
    for header in headers:
        match = _HEADER.match(header or "")
        if not match or len(header) > MAX_HEADER_LENGTH:
            raise Invalid(_("Hvert hode (channel.header) skrives «Navn: verdi» på én linje."))
        name = match.group(1).lower()
        if name in RESERVED_HEADERS or name.startswith(RESERVED_PREFIX):
            raise Invalid(_("Hodet %(name)s settes av oss og kan ikke angis.") % {"name": match.group(1)})
    return headers


# Delivery: the first attempt at once, then three more after these waits (our choice: a receiver restarting or a
# short outage is bridged; a longer one loses the notification, and the client catches up by searching).
BACKOFF = (datetime.timedelta(seconds=10), datetime.timedelta(minutes=1), datetime.timedelta(minutes=5))
MAX_ATTEMPTS = len(BACKOFF) + 1
# After this many failed attempts in a row (across notifications) the subscription is set to `error` (our choice).
MAX_CONSECUTIVE_FAILURES = 10
TIMEOUT = datetime.timedelta(seconds=10)  # connect and read, per attempt (our choice)
# The heartbeat periods we serve, in seconds (our choice: at most one a minute, at least one a day).
HEARTBEAT_MIN, HEARTBEAT_MAX = 60, 24 * 60 * 60


def retry_after(attempt: int) -> datetime.timedelta | None:
    """How long to wait after failed attempt `attempt` (1, 2, …) before the next one; None: give up."""
    return BACKOFF[attempt - 1] if attempt < MAX_ATTEMPTS else None


def is_retryable(status_code: int | None) -> bool:
    """A network error, a timeout, 408, 429 and 5xx are worth another try; any other answer will not change."""
    return status_code is None or status_code in (408, 429) or status_code >= 500
