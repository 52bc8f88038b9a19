"""Search parameters: the query string parsed once per request, then turned into a `Q` for each source.

The kinds are `provider.Kind`'s (https://hl7.org/fhir/R4/search.html#ptypes). Each value is parsed once into a
small value object (`Token`, `DateRange`, `Ref`, `Number`, or the text for string and uri); the same parameter may
filter a different field in each source of a type. Alternatives in one value (`status=booked,cancelled`) are OR;
repeated parameters (`date=ge2026-01-01&date=lt2027-01-01`) are AND. A source that lacks a parameter the type
supports (the appointment requests have no `date`) matches nothing for it.

Our choices, where FHIR leaves them to the server:

- `_count` defaults to 20 and is capped at 100 (a larger count gets 100 and the `next` link);
- `_total` is `none` unless asked; `estimate` is answered as `accurate`;
- a parameter with an empty value is ignored, an unknown one is ignored and left out of the `self` link (with a
  warning in the Bundle), and refused with 400 under `Prefer: handling=strict`; a bad value, prefix or
  modifier is always a 400;
- a date without a time zone is a day (or month, year) in Oslo; dates stored without a time are midnight in Oslo;
- `_lastUpdated` filters only sources that say which field holds the row's last change (`Source.last_updated`).
"""

import datetime
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from helseportal.core.time import OSLO
from helseportal.fhir import provider
from helseportal.fhir.outcome import Problem
from helseportal.fhir.provider import Kind, Param, ResourceType, Source

DEFAULT_COUNT = 20
MAX_COUNT = 100
# Parameters about the answer rather than the rows; `_format` and `_pretty` are the HTTP layer's.
CONTROL = frozenset({"_count", "_sort", "_total", "_include", "_cursor", "_format", "_pretty"})
DATE_PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb")
NUMBER_PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le")
MODIFIERS = {
    Kind.TOKEN: {"not"},
    Kind.STRING: {"exact", "contains"},
    Kind.REFERENCE: {"identifier"},
    Kind.URI: {"below"},
    Kind.DATE: set(),
    Kind.NUMBER: set(),
}
NOTHING = Q(pk__in=[])  # matches no row, and Django sends no query for it
MAX_KEY = 2**63 - 1

# The values we accept, as regular expressions the OpenAPI document repeats, so that what it promises is exactly
# what is accepted. A date is a real calendar date (29 February only in leap years) in the years 1000–8999 (our
# choice: far enough from the ends of the calendar that no time zone pushes a moment off it).
_YEAR = "[1-8][0-9]{3}"
_LEAP = "(?:[1-8][0-9](?:0[48]|[2468][048]|[13579][26])|(?:1[26]|2[048]|3[26]|4[048]|5[26]|6[048]|7[26]|8[048])00)"
_MONTH_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
# A zone is FHIR's (R4 dateTime: at most 14:00 either way); PostgreSQL refuses an offset beyond 15:59 (a 500).
_ZONE = "(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
_TIME = f"T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.][0-9]{{1,9}})?)?{_ZONE}?"
DATE_VALUE = f"(?:{_YEAR}(?:-(?:0[1-9]|1[0-2]))?|(?:{_YEAR}-{_MONTH_DAY}|{_LEAP}-02-29)(?:{_TIME})?)"
DATE_PATTERN = f"^(?:eq|ne|gt|lt|ge|le|sa|eb)?{DATE_VALUE}$"
NUMBER_PATTERN = "^(?:eq|ne|gt|lt|ge|le)?-?[0-9]{1,15}(?:[.][0-9]{1,15})?$"
COUNT_PATTERN = "^[0-9]{1,9}$"
_DATE = re.compile(
    r"^(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2})"
    r"(?:T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2})(?P<fraction>[.][0-9]{1,9})?)?"
    r"(?P<zone>Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?$"
)


@dataclass(frozen=True)
class Token:
    system: str | None  # None: any system; "": no system (`|code`)
    code: str  # "": any code in the system (`system|`)


@dataclass(frozen=True)
class DateRange:
    """A date value as the half-open range it stands for (`2026-06` is all of June in Oslo)."""

    prefix: str
    start: datetime.datetime
    end: datetime.datetime


@dataclass(frozen=True)
class Ref:
    type: str  # "" when the value gave only the id
    id: str


@dataclass(frozen=True)
class Number:
    prefix: str
    value: Decimal
    low: Decimal  # the range `eq` means, by the value's precision (100 is [99.5, 100.5))
    high: Decimal


@dataclass(frozen=True)
class Criterion:
    """One parameter as sent: its name, modifier and the parsed alternatives (OR)."""

    name: str
    modifier: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class SortKey:
    name: str  # a `Source.sort` name, `_id` or `_lastUpdated`
    descending: bool

    def __str__(self) -> str:
        return f"-{self.name}" if self.descending else self.name


@dataclass(frozen=True)
class Query:
    criteria: tuple[Criterion, ...] = ()
    sort: tuple[SortKey, ...] = ()
    count: int = DEFAULT_COUNT
    total: bool = False
    includes: tuple[str, ...] = ()  # names in `ResourceType.includes`
    cursor: str = ""
    applied: tuple[tuple[str, str], ...] = ()  # the parameters the answer honoured, for the `self` link
    ignored: tuple[str, ...] = ()  # the parameters it did not


def invalid(text: str, name: str) -> Problem:
    return Problem(text, code="invalid", expression=[name])


# Parsing: the query string into a Query ---------------------------------------------------------------------


def per_type[T](compute: Callable[[ResourceType], T]) -> Callable[[ResourceType], T]:
    """Cache what is computed from a registered type, by the type's identity (its mappings make it unhashable)."""
    cache: dict[int, tuple[ResourceType, T]] = {}

    @functools.wraps(compute)
    def cached(rt: ResourceType) -> T:
        found = cache.get(id(rt))
        if found is None or found[0] is not rt:
            found = cache[id(rt)] = (rt, compute(rt))
        return found[1]

    return cached


@per_type
def _types(rt: ResourceType) -> dict[str, Param]:
    """Each parameter the type supports (in any of its sources), by name; the first source's `Param` decides."""
    found: dict[str, Param] = {}
    for source in rt.sources:
        for name, param in source.params.items():
            found.setdefault(name, param)
    return found


@per_type
def sort_names(rt: ResourceType) -> frozenset[str]:
    names = {"_id"} | {name for source in rt.sources for name in source.sort}
    if any(source.last_updated for source in rt.sources):
        names.add("_lastUpdated")
    return frozenset(names)


def search_params(rt: ResourceType) -> dict[str, Param]:
    """The type's own parameters (for the CapabilityStatement and the OpenAPI document)."""
    return dict(_types(rt))


def parse(rt: ResourceType, pairs: Iterable[tuple[str, str]], *, strict: bool = False) -> Query:
    """The query string as a `Query`; `Problem` (400) for a bad value, or any unknown parameter when `strict`."""
    criteria: list[Criterion] = []
    applied: list[tuple[str, str]] = []
    ignored: list[str] = []
    options: dict[str, Any] = {"sort": (), "count": DEFAULT_COUNT, "total": False, "includes": [], "cursor": ""}
    for key, value in pairs:
        name, _sep, modifier = key.partition(":")
        if name in ("_format", "_pretty"):
            continue
        if value == "" and name != "_cursor":
            continue  # FHIR: a parameter without a value is ignored
        if name in CONTROL:
            if _control(rt, name, value, options, ignored) and name != "_cursor":
                applied.append((key, str(options["count"]) if name == "_count" else value))
            continue
        criterion = _criterion(rt, name, modifier, value)
        if criterion is None:
            ignored.append(key)
            continue
        criteria.append(criterion)
        applied.append((key, value))
    if strict and ignored:
        raise Problem(
            _("Ukjente søkeparametere: %(names)s.") % {"names": ", ".join(ignored)},
            code="not-supported",
            expression=ignored,
        )
    return Query(
        criteria=tuple(criteria),
        sort=options["sort"],
        count=options["count"],
        total=options["total"],
        includes=tuple(options["includes"]),
        cursor=options["cursor"],
        applied=tuple(applied),
        ignored=tuple(ignored),
    )


def _control(rt: ResourceType, name: str, value: str, options: dict[str, Any], ignored: list[str]) -> bool:
    """Read one control parameter into `options`; False when it names something the type does not have."""
    if name == "_count":
        options["count"] = parse_count(value)
    elif name == "_total":
        if value not in ("none", "estimate", "accurate"):
            raise invalid(_("_total må være none, estimate eller accurate."), name)
        options["total"] = value != "none"
    elif name == "_cursor":
        options["cursor"] = value
    elif name == "_sort":
        keys = [SortKey(part.removeprefix("-"), part.startswith("-")) for part in value.split(",") if part]
        unknown = [key.name for key in keys if key.name not in sort_names(rt)]
        if unknown:
            ignored.append(f"_sort={value}")
            return False
        options["sort"] = tuple(keys)
    elif name == "_include":
        parts = value.split(":")
        if len(parts) not in (2, 3) or parts[0] != rt.name or parts[1] not in rt.includes:
            ignored.append(f"_include={value}")
            return False
        if len(parts) == 3 and parts[2] != rt.includes[parts[1]].target:
            ignored.append(f"_include={value}")
            return False
        options["includes"].append(parts[1])
    return True


def as_key(text: str) -> int | None:
    """A row key from text: ASCII digits that fit a 64-bit key, else None (a key that cannot exist)."""
    if not (text.isascii() and text.isdigit() and len(text) <= 19):
        return None
    key = int(text)
    return key if key <= MAX_KEY else None


def parse_count(value: str) -> int:
    """`_count`: a whole number from 0, capped at `MAX_COUNT`."""
    if not re.fullmatch(COUNT_PATTERN[1:-1], value):
        raise invalid(_("_count må være et heltall fra 0 og oppover."), "_count")
    return min(int(value), MAX_COUNT)


def _criterion(rt: ResourceType, name: str, modifier: str, value: str) -> Criterion | None:
    if name == "_id":
        return Criterion(name, "", tuple(_split(value)))
    if name == "_lastUpdated":
        return Criterion(name, "", (parse_date(value, name),))
    param = _types(rt).get(name)
    if param is None:
        return None
    if param.filter is not None and modifier:  # a parameter the domain filters itself: no `:missing`, no `:not`
        raise invalid(_("Søkeparameteren %(name)s tar ingen modifikator.") % {"name": name}, name)
    if modifier == "missing":
        if value not in ("true", "false"):
            raise invalid(_("%(name)s:missing må være true eller false.") % {"name": name}, name)
        return Criterion(name, modifier, (value == "true",))
    if modifier and modifier not in MODIFIERS[param.kind] and not _is_type_modifier(param, modifier):
        raise Problem(
            _("Søkeparameteren %(name)s støtter ikke :%(modifier)s.") % {"name": name, "modifier": modifier},
            code="not-supported",
            expression=[f"{name}:{modifier}"],
        )
    return Criterion(name, modifier, tuple(_parse_value(param, modifier, part, name) for part in _split(value)))


def _is_type_modifier(param: Param, modifier: str) -> bool:
    """`subject:Patient=7`: a reference parameter's modifier may name the target type."""
    return param.kind == Kind.REFERENCE and modifier == param.target


def _split(value: str) -> list[str]:
    """The alternatives in a value, on commas not escaped with a backslash (FHIR's `\\,`)."""
    parts = re.split(r"(?<!\\),", value)
    return [part.replace("\\,", ",").replace("\\|", "|") for part in parts if part]


def _parse_value(param: Param, modifier: str, text: str, name: str) -> Any:
    if param.kind == Kind.TOKEN or (param.kind == Kind.REFERENCE and modifier == "identifier"):
        return parse_token(text)
    if param.kind == Kind.DATE:
        return parse_date(text, name)
    if param.kind == Kind.REFERENCE:
        return parse_reference(text, param.target if modifier == param.target else "")
    if param.kind == Kind.NUMBER:
        return parse_number(text, name)
    return text


def parse_token(text: str) -> Token:
    system, bar, code = text.partition("|")
    return Token(system, code) if bar else Token(None, text)


def parse_date(text: str, name: str) -> DateRange:
    """`[prefix]YYYY[-MM[-DD[Thh:mm[:ss[.fff]][zone]]]]` as the range it covers; 400 for anything else."""
    prefix = text[:2] if text[:2].isalpha() else "eq"
    match = _DATE.match(text[2:] if text[:2].isalpha() else text)
    if prefix not in DATE_PREFIXES or match is None or not re.fullmatch(DATE_PATTERN[1:-1], text):
        raise invalid(_("Ugyldig dato i %(name)s: bruk for eksempel ge2026-06-10.") % {"name": name}, name)
    part = {key: value for key, value in match.groupdict().items() if value is not None}
    zone = OSLO if "zone" not in part else datetime.datetime.strptime(part["zone"].replace("Z", "+00:00"), "%z").tzinfo
    try:
        start = datetime.datetime(
            int(part["year"]),
            int(part.get("month", 1)),
            int(part.get("day", 1)),
            int(part.get("hour", 0)),
            int(part.get("minute", 0)),
            int(part.get("second", 0)),
            int(Decimal(part.get("fraction", "0")) * 1_000_000),
            tzinfo=zone,
        )
    except ValueError:
        raise invalid(_("Datoen i %(name)s finnes ikke.") % {"name": name}, name) from None
    return DateRange(prefix, start, _end(start, part))


def _end(start: datetime.datetime, part: Mapping[str, str]) -> datetime.datetime:
    """The end of the range a date value of this precision covers (exclusive)."""
    if "fraction" in part:
        return start + datetime.timedelta(microseconds=1)
    if "second" in part:
        return start + datetime.timedelta(seconds=1)
    if "minute" in part:
        return start + datetime.timedelta(minutes=1)
    if "day" in part:
        day = start.date() + datetime.timedelta(days=1)
    elif "month" in part:
        day = (start.date().replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    else:
        day = start.date().replace(year=start.year + 1)
    return datetime.datetime.combine(day, datetime.time(), tzinfo=start.tzinfo)


def parse_reference(text: str, target: str = "") -> Ref:
    """`Patient/7`, `7`, `https://…/Patient/7` or `Patient/7/_history/2` as type and id."""
    parts = text.rstrip("/").split("/")
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    if len(parts) >= 2:
        return Ref(parts[-2], parts[-1])
    return Ref(target, parts[-1])


def parse_number(text: str, name: str) -> Number:
    prefix = text[:2] if text[:2].isalpha() else "eq"
    try:
        value = Decimal(text[2:] if text[:2].isalpha() else text)
    except InvalidOperation:
        value = Decimal("NaN")
    if prefix not in NUMBER_PREFIXES or not value.is_finite() or not re.fullmatch(NUMBER_PATTERN[1:-1], text):
        raise invalid(_("Ugyldig tall i %(name)s.") % {"name": name}, name)
    exponent = value.as_tuple().exponent
    half = Decimal(5).scaleb((exponent if isinstance(exponent, int) else 0) - 1)
    return Number(prefix, value, value - half, value + half)


# Filtering: a Query as one Q per source ----------------------------------------------------------------------


def source_filter(rt: ResourceType, source: Source, query: Query) -> Q | None:
    """The rows of this source the criteria select, as a `Q`; None when the source cannot match at all."""
    combined = Q()
    for criterion in query.criteria:
        found = _criterion_filter(rt, source, criterion)
        if found is None:
            return None
        combined &= found
    return combined


def _criterion_filter(rt: ResourceType, source: Source, criterion: Criterion) -> Q | None:
    if criterion.name == "_id":
        keys = [key for value in criterion.values if (key := _key_in(rt, source, value)) is not None]
        return Q(pk__in=keys) if keys else None
    if criterion.name == "_lastUpdated":
        if not source.last_updated:
            return None
        return _date_q(source.model, source.last_updated, criterion.values[0])
    param = source.params.get(criterion.name)
    if param is None:
        return None
    if criterion.modifier == "missing":  # a source that filters the parameter itself has no column to ask: no rows
        return Q(**{f"{param.field}__isnull": criterion.values[0]}) if param.field and param.filter is None else None
    if param.filter is not None:
        return param.filter(criterion.values)
    build = _BUILDERS[param.kind]
    alternatives = Q(pk__in=[])
    for value in criterion.values:
        alternatives |= build(source.model, param, criterion.modifier, value)
    return ~alternatives if criterion.modifier == "not" else alternatives


def _key_in(rt: ResourceType, source: Source, logical_id: str) -> int | None:
    found = rt.source_for(logical_id)
    return as_key(found[1]) if found is not None and found[0] is source else None


def token_q(param: Param, token: Token) -> Q:
    """A token against the field its system names; a system the parameter does not know matches nothing."""
    if isinstance(param.system, Mapping):
        fields = list(param.system.values()) if token.system is None else [param.system.get(token.system, "")]
    elif token.system is None or token.system == (param.system or ""):
        fields = [param.field]
    else:
        fields = [""]
    if not all(fields):
        return NOTHING
    if token.code == "":
        return Q()
    stored: Sequence[Any] = (token.code,) if param.values is None else param.values.get(token.code, ())
    if not stored:
        return NOTHING
    found = Q(pk__in=[])
    for name in fields:
        found |= Q(**{f"{name}__in": list(stored)})
    return found


def _token(model: type[models.Model], param: Param, modifier: str, token: Token) -> Q:
    return token_q(param, token)


def _date(model: type[models.Model], param: Param, modifier: str, value: DateRange) -> Q:
    return _date_q(model, param.field, value)


def _date_q(model: type[models.Model], field: str, value: DateRange) -> Q:
    start: Any = value.start
    end: Any = value.end
    if is_date_only(model, field):
        start, end = ceil_date(value.start), ceil_date(value.end)
    conditions = {
        "eq": Q(**{f"{field}__gte": start, f"{field}__lt": end}),
        "ne": ~Q(**{f"{field}__gte": start, f"{field}__lt": end}),
        "gt": Q(**{f"{field}__gte": end}),
        "sa": Q(**{f"{field}__gte": end}),
        "ge": Q(**{f"{field}__gte": start}),
        "lt": Q(**{f"{field}__lt": start}),
        "eb": Q(**{f"{field}__lt": start}),
        "le": Q(**{f"{field}__lt": end}),
    }
    return conditions[value.prefix]


def ceil_date(moment: datetime.datetime) -> datetime.date:
    """The first day whose midnight in Oslo is at or after `moment`: a date field compared as a moment."""
    local = moment.astimezone(OSLO)
    day = local.date()
    return day if local.time() == datetime.time() else day + datetime.timedelta(days=1)


def _reference(model: type[models.Model], param: Param, modifier: str, value: Any) -> Q:
    if modifier == "identifier":
        return _by_identifier(param, value)
    ref: Ref = value
    if ref.type and param.target and ref.type != param.target:
        return NOTHING
    target = provider.lookup(param.target) if param.target else None
    key = as_key(ref.id)
    if target is not None:
        found = target.source_for(ref.id)
        key = as_key(found[1]) if found is not None else None
    return Q(**{param.field: key}) if key is not None else NOTHING


def _by_identifier(param: Param, token: Token) -> Q:
    """`subject:identifier=<system>|<value>`: the rows referring to a target found by its identifier."""
    target = provider.lookup(param.target)
    if target is None:
        return NOTHING
    found = Q(pk__in=[])
    for source in target.sources:
        identifier = source.params.get("identifier")
        if identifier is not None:
            rows = source.model._default_manager.filter(token_q(identifier, token)).values("pk")
            found |= Q(**{f"{param.field}__in": rows})
    return found


def _string(model: type[models.Model], param: Param, modifier: str, text: str) -> Q:
    lookup = {"exact": "exact", "contains": "icontains"}.get(modifier, "istartswith")
    return Q(**{f"{param.field}__{lookup}": text})


def _number(model: type[models.Model], param: Param, modifier: str, number: Number) -> Q:
    field = param.field
    conditions = {
        "eq": Q(**{f"{field}__gte": number.low, f"{field}__lt": number.high}),
        "ne": ~Q(**{f"{field}__gte": number.low, f"{field}__lt": number.high}),
        "gt": Q(**{f"{field}__gt": number.value}),
        "lt": Q(**{f"{field}__lt": number.value}),
        "ge": Q(**{f"{field}__gte": number.value}),
        "le": Q(**{f"{field}__lte": number.value}),
    }
    return conditions[number.prefix]


def _uri(model: type[models.Model], param: Param, modifier: str, text: str) -> Q:
    return Q(**{f"{param.field}__startswith" if modifier == "below" else param.field: text})


_BUILDERS: dict[Kind, Callable[[type[models.Model], Param, str, Any], Q]] = {
    Kind.TOKEN: _token,
    Kind.DATE: _date,
    Kind.REFERENCE: _reference,
    Kind.STRING: _string,
    Kind.NUMBER: _number,
    Kind.URI: _uri,
}


@functools.cache
def model_field(model: type[models.Model], path: str) -> "models.Field[Any, Any] | None":
    """The model field at the end of a lookup path (`card__person`), or None when the path names none."""
    current: Any = model
    field: Any = None
    for name in path.split("__"):
        if current is None:
            return None
        try:
            field = current._meta.get_field("id" if name == "pk" else name)
        except FieldDoesNotExist:
            return None
        current = field.related_model
    return field


def is_date_only(model: type[models.Model], path: str) -> bool:
    field = model_field(model, path)
    return isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)


def token_pairs(values: Any) -> Iterable[tuple[str | None, str]]:
    """The engine's parsed tokens (`Token`: `system` None for any, "" for none; `code` "" for any) as pairs; a plain
    `system|code` string is read the same way, for callers outside the engine."""
    for value in values if isinstance(values, (list, tuple)) else [values]:
        if hasattr(value, "code"):
            yield value.system, value.code
        else:
            system, bar, code = str(value).partition("|")
            yield (system, code) if bar else (None, system)


def coded(system_field: str, code_field: str) -> Callable[[Any], Q]:
    """A token filter on a (system, code) pair of columns, for a `Param`'s `filter`: `system|code`, `code` in any
    system, `|code` in none, `system|` any code in the system; several values are alternatives (OR)."""

    def matching(values: Any) -> Q:
        found = Q(pk__in=[])
        for system, code in token_pairs(values):
            one = Q(**{code_field: code}) if code else Q()
            if system is not None:
                one &= Q(**{system_field: system})
            found |= one
        return found

    return matching
