"""Reads of the audit log for "Hvem har sett opplysningene mine": the actor's subject's events, filtered.

Each function takes the Actor first (ARCHITECTURE.md rule 1) and only ever reads events whose subject is the
actor's subject. A representative (parent, proxy) sees only events of the areas the rule table lets her use for
the person (each code's area, `audit.codes.area_of`), and never events the youth services hid from her
(DOMAIN.md §2): not as rows and not as names in the filter.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from helseportal.access.audit.chain import record
from helseportal.access.audit.codes import codes_in, describe
from helseportal.access.models import AuditEvent
from helseportal.access.policy import open_areas
from helseportal.core.actor import Actor
from helseportal.core.time import OSLO
from helseportal.identity.models import Person

PAGE_SIZE = 50
_ACTOR_COLUMNS = (
    "actor_person_id",
    "actor_practitioner_id",
    "actor_client_id",
    "actor_name",
    "actor_hpr_number",
    "actor_unit_id",
    "actor_unit_name",
)


@dataclass(frozen=True)
class LogFilter:
    date_from: datetime.date | None = None  # inclusive, Oslo dates
    date_to: datetime.date | None = None  # inclusive
    who: str = ""  # an option value from who_options(): "person:3", "practitioner:7", "unit:2", "client:app"
    include_own: bool = False  # the subject's own use (their logins, their reads) is hidden unless asked for


@dataclass(frozen=True)
class WhoOption:
    value: str
    label: str
    group: str  # "person", "unit" or "client": the select's optgroups


@dataclass(frozen=True)
class LogRow:
    occurred_at: datetime.datetime
    who: str
    on_behalf_of: str
    what: str
    outcome: str
    allowed: bool


@dataclass(frozen=True)
class LogPage:
    options: list[WhoOption]  # the persons, organisations and systems in the log, for the filter
    page: Page[AuditEvent] | None  # None: the filter was wrong, and nothing is listed
    rows: list[LogRow]
    subject_name: str  # whose log it is, when the actor acts for someone else; "" for her own


def read_log(
    actor: Actor,
    *,
    include_own: bool,
    log_filter: Callable[[list[WhoOption]], LogFilter | None],
    page_number: str | None,
) -> LogPage:
    """One page of the log of the actor's subject: the filter's options, then the events `log_filter` chooses
    from them (the page's form; None lists nothing).

    Reading the log is itself a read of personal data: recorded first, in the same transaction, so that this very
    read is on the page too when the reader asks to see her own use.
    """
    with transaction.atomic():
        record(actor, "audit:log:read", subject_id=actor.subject_id)
        options = who_options(actor, include_own=include_own)
        chosen = log_filter(options)
        page = None if chosen is None else Paginator(log_events(actor, chosen), PAGE_SIZE).get_page(page_number)
        rows = log_rows(actor, page.object_list) if page is not None else []
        return LogPage(options, page, rows, _subject_name(actor))


def _subject_name(actor: Actor) -> str:
    """Name the person whose log this is when the actor acts for someone else (a child, a fullmakt giver)."""
    if actor.acts_for_other and actor.subject_id is not None:
        return person_names({actor.subject_id}).get(actor.subject_id, "")
    return ""


def visible_events(actor: Actor, *, include_own: bool = False) -> QuerySet[AuditEvent]:
    """Every event about the actor's subject that this actor may see in the log."""
    if actor.subject_id is None:
        return AuditEvent.objects.none()  # filter(subject_id=None) would match events about nobody, e.g. failed logins
    events = AuditEvent.objects.filter(subject_id=actor.subject_id)
    if actor.acts_for_other:
        # What a parent may not see in the service (a 12–15-year-old's messages, pregnancy card, logins), she
        # may not see in the log either; events of codes this version does not know are left out too.
        events = events.filter(hidden_from_representatives=False, action__in=codes_in(open_areas(actor)))
    if not include_own:
        # exclude() keeps events with no person (practitioners, systems): NULL is not the subject. What her own app
        # fetched through the API stays: the app is someone else's program, and this page is where she sees it.
        events = events.exclude(actor_person_id=actor.subject_id, actor_client_id="")
    return events


def log_events(actor: Actor, log_filter: LogFilter) -> QuerySet[AuditEvent]:
    """The events the page lists, newest first."""
    events = visible_events(actor, include_own=log_filter.include_own)
    if log_filter.date_from is not None:
        events = events.filter(occurred_at__gte=_start_of_day(log_filter.date_from))
    if log_filter.date_to is not None and log_filter.date_to < datetime.date.max:
        events = events.filter(occurred_at__lt=_start_of_day(log_filter.date_to + datetime.timedelta(days=1)))
    if log_filter.who:
        events = events.filter(**_who_lookup(log_filter.who))
    return events.order_by("-occurred_at", "-id")


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=OSLO)


def _who_lookup(value: str) -> dict[str, object]:
    kind, _sep, key = value.partition(":")
    if kind == "client":
        return {"actor_client_id": key}
    column = {"person": "actor_person_id", "practitioner": "actor_practitioner_id", "unit": "actor_unit_id"}[kind]
    return {column: int(key)}


def who_options(actor: Actor, *, include_own: bool = False) -> list[WhoOption]:
    """The persons, organisations and systems that appear in the actor's subject's log, for the filter.

    One query grouped by actor; when a name changed over time, the name on the newest event wins.
    """
    rows = (
        visible_events(actor, include_own=include_own)
        .order_by()
        .values(*_ACTOR_COLUMNS)
        .annotate(newest=Max("id"))
        .order_by("newest")
    )
    options: dict[str, WhoOption] = {}
    for row in rows:  # oldest first, so a newer name replaces an older one
        for option in _options_for(row):
            options[option.value] = option
    return sorted(options.values(), key=lambda o: (o.group, o.label.casefold()))


def _options_for(row: dict[str, object]) -> list[WhoOption]:
    options = []
    if row["actor_client_id"] and row["actor_person_id"] is not None:
        # A citizen's app: listed by the app's name; the person who used it is in the row, not in the filter.
        return [WhoOption(f"client:{row['actor_client_id']}", _client_name(row), "client")]
    if row["actor_practitioner_id"] is not None:
        label = f"{row['actor_name']} (HPR {row['actor_hpr_number']})"
        options.append(WhoOption(f"practitioner:{row['actor_practitioner_id']}", label, "person"))
    elif row["actor_person_id"] is not None:
        options.append(WhoOption(f"person:{row['actor_person_id']}", str(row["actor_name"]), "person"))
    if row["actor_unit_id"] is not None:
        options.append(WhoOption(f"unit:{row['actor_unit_id']}", str(row["actor_unit_name"]), "unit"))
    if row["actor_client_id"]:
        options.append(WhoOption(f"client:{row['actor_client_id']}", _client_name(row), "client"))
    return options


def _client_name(row: dict[str, object]) -> str:
    """An API client by the name it had on its newest event (`actor_name`), else by its client id."""
    return str(row["actor_name"] or row["actor_client_id"])


def log_rows(actor: Actor, events: Iterable[AuditEvent]) -> list[LogRow]:
    """Turn one page of events into table rows; names of persons acted for come from one query."""
    events = list(events)
    names = person_names(
        {e.on_behalf_of_id for e in events if e.on_behalf_of_id is not None}
        | {e.actor_person_id for e in events if e.actor_client_id and e.actor_person_id is not None}
    )
    return [
        LogRow(
            occurred_at=event.occurred_at,
            who=actor_label(event, names),
            on_behalf_of=names.get(event.on_behalf_of_id, "") if event.on_behalf_of_id else "",
            what=describe(event.action),
            outcome=event.get_outcome_display(),
            allowed=event.outcome == "allowed",
        )
        for event in events
    ]


def actor_label(event: AuditEvent, persons: Mapping[int, str] = MappingProxyType({})) -> str:
    """`Kari Nordmann`; `Mette Berg (HPR 9144889), Frogner helsestasjon`; a record system by its name and unit
    (`Frogner EPJ, Frogner helsestasjon`), or by its client id; a citizen's app by its name and who used it (her
    name from `persons`, read at display time like the names of those acted for)."""
    if event.actor_client_id and event.actor_person_id is not None:
        app = event.actor_name or event.actor_client_id
        person = persons.get(event.actor_person_id, "")
        return _("Appen %(app)s, brukt av %(person)s") % {"app": app, "person": person} if person else app
    if event.actor_name:
        label = event.actor_name
    elif event.actor_client_id:
        label = _("Fagsystem %(client)s") % {"client": event.actor_client_id}
    else:
        label = _("Ukjent")
    if event.actor_hpr_number:
        label = f"{label} (HPR {event.actor_hpr_number})"
    if event.actor_unit_name:
        label = f"{label}, {event.actor_unit_name}"
    return label


def person_names(person_ids: set[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    persons = Person.objects.filter(pk__in=person_ids).only("given_name", "family_name")
    return {person.pk: person.full_name for person in persons}
