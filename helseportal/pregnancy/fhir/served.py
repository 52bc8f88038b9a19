"""The rest of the card on the FHIR API: the values `api.py`'s first seven sources left out, each served by the id the
card's mapping gives it (`observations(card)`, `card_resources(card)`), so that every reference between them opens.

- from the pregnancy's columns: the last period, the due dates by LMP (LMP + 283 days, `dates.py`), by ultrasound
  and corrected (with the corrections marked in error), and gestational age today;
- from each consultation: gestational age on its day, and per fetus heart rate and presentation (one source per
  fetus number: the card holds up to `MAX_FETUSES`);
- from the sections' current versions (and those marked in error): height, weight and BMI before the pregnancy,
  the counts of earlier pregnancies;
- the issue-16 series: earlier births, the ultrasound's measurements (and the scan as a DiagnosticReport with its
  findings), NIPT, the birth; and the symptoms she (or health personnel) registered.

Who sees them is `api.reach`, as for the first seven: a unit's system through her sharing grant to the unit, her
own app her own card (`provider.once` asks the reach once per request, not once per source).
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import DateTimeField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from helseportal.core.actor import Actor
from helseportal.core.time import OSLO, today
from helseportal.fhir import JSON, codes
from helseportal.fhir.provider import Kind, Param, ResourceType, Source
from helseportal.pregnancy.fhir.api import CATEGORY, PATIENT, STATUS, any_rows, fixed, measurements, reach
from helseportal.pregnancy.fhir.fields import (
    BIRTH,
    EARLIER_BIRTH,
    NIPT,
    PLACENTA,
    US_FETUSES,
    US_GESTATIONAL_AGE,
    birth_observation,
    corrected_due_date,
    earlier_birth_observation,
    nipt_observation,
    ultrasound_report,
    ultrasound_resources,
)
from helseportal.pregnancy.fhir.observations import (
    before_pregnancy_observations,
    consultation_ga,
    due_date_observation,
    fetus_observations,
    ga_today,
    lmp_observation,
    previous_pregnancy_observations,
    symptom_observation,
)
from helseportal.pregnancy.fhir.values import (
    BMI,
    DUE_DATE,
    FETAL_HEART_RATE,
    FETAL_PRESENTATION,
    GESTATIONAL_AGE,
    HEIGHT,
    LMP,
    PREPREGNANCY_WEIGHT,
    PREVIOUS_COUNTS,
    PREVIOUS_IDS,
    Code,
    patient_reference,
)
from helseportal.pregnancy.models import (
    BirthOutcome,
    Consultation,
    DueDateEntry,
    DueDateMethod,
    EarlierBirth,
    Nipt,
    Pregnancy,
    PregnancyStatus,
    SectionEntry,
    Symptom,
    Ultrasound,
)
from helseportal.pregnancy.rules import AREA

MAX_FETUSES = 6  # the card's own bound on the number of fetuses (`forms/card_fields.py` FETUSES)
Mapper = Callable[[Any, JSON], JSON | list[JSON] | None]


def _one(prefix: str, mapper: Mapper) -> Mapper:
    """The one resource of a mapper's several whose id starts with `prefix` (the source's own kind of value)."""

    def picked(entry: Any, patient: JSON) -> JSON | None:
        found = mapper(entry, patient)
        listed = found if isinstance(found, list) else [found] if found else []
        return next(r for r in listed if r["id"].startswith(prefix) and r["id"][len(prefix) :].isdigit())

    return picked


# --- From the pregnancy's columns -----------------------------------------------------------------------------


def _set_at(method: str) -> Callable[[], Subquery]:
    """When the valid due-date entry of this method that set the date in force was written (`Card.due_date_entry`)."""
    valid = DueDateEntry.objects.filter(pregnancy=OuterRef("pk"), method=method, entered_in_error_at__isnull=True)
    newest = valid.order_by("-recorded_at", "-pk").values("recorded_at")[:1]
    return lambda: Subquery(newest, output_field=DateTimeField())


def _start_of_today() -> Value:
    return Value(datetime.datetime.combine(today(), datetime.time(), OSLO), output_field=DateTimeField())


def _setter(pregnancy: Pregnancy, method: str) -> DueDateEntry | None:
    valid = [e for e in pregnancy.due_dates.all() if e.method == method and not e.in_error]
    return max(valid, key=lambda e: (e.recorded_at, e.pk), default=None)


def _ultrasound_due(pregnancy: Pregnancy, patient: JSON) -> JSON:
    entries = [e for e in (_setter(pregnancy, DueDateMethod.ULTRASOUND),) if e is not None]
    return due_date_observation(pregnancy, "ultrasound", patient, entries)


def _corrected_due(pregnancy: Pregnancy, patient: JSON) -> JSON:
    entry = _setter(pregnancy, CORRECTED)
    assert entry is not None  # `has` holds only pregnancies with one
    return corrected_due_date(entry, patient, current=True)


CORRECTED = DueDateMethod.CORRECTED
# A change of a due date, of the number of fetuses or of the end touches the pregnancy's own row (`updated_at`).
PREGNANCY: dict[str, Any] = {"changed": lambda: F("updated_at"), "prefetch": ("due_dates",)}
SET_AT = {"date": "set_at"}

PREGNANCY_SOURCES = (
    fixed(Pregnancy, "pregnancy-lmp-", lmp_observation, LMP, has=Q(lmp__isnull=False), date="recorded_at", **PREGNANCY),
    fixed(
        Pregnancy,
        "pregnancy-due-date-lmp-",
        lambda p, patient: due_date_observation(p, "lmp", patient),
        DUE_DATE,
        has=Q(due_date_lmp__isnull=False),
        date="recorded_at",
        **PREGNANCY,
    ),
    fixed(
        Pregnancy,
        "pregnancy-due-date-ultrasound-",
        _ultrasound_due,
        DUE_DATE,
        has=Q(due_date_ultrasound__isnull=False),
        date="set_at",
        annotate={"set_at": _set_at(DueDateMethod.ULTRASOUND)},
        **PREGNANCY,
    ),
    fixed(
        Pregnancy,
        "pregnancy-due-date-corrected-",
        _corrected_due,
        DUE_DATE,
        has=Q(
            Exists(DueDateEntry.objects.filter(pregnancy=OuterRef("pk"), method=CORRECTED, entered_in_error_at=None))
        ),
        date="set_at",
        annotate={"set_at": _set_at(CORRECTED)},
        **PREGNANCY,
    ),
    fixed(
        DueDateEntry,
        "due-date-",
        lambda entry, patient: corrected_due_date(entry, patient, current=False),
        DUE_DATE,
        has=Q(method=CORRECTED, entered_in_error_at__isnull=False),
        date="recorded_at",
    ),
    # Gestational age today: its day is today, and it changes with the day (its last change: today's start at least).
    fixed(
        Pregnancy,
        "pregnancy-ga-",
        lambda p, patient: ga_today(p, today(), patient),
        GESTATIONAL_AGE,
        has=Q(status=PregnancyStatus.ONGOING),
        date="ga_on",
        annotate={"ga_on": _start_of_today},
        changed=lambda: Greatest(F("updated_at"), _start_of_today()),
    ),
)


# --- From each consultation -----------------------------------------------------------------------------------


def _fetus_sources(n: int) -> tuple[Source, Source]:
    """Fetus `n`'s heart rate and presentation: the n-th of the consultation's fetuses, as the form writes them."""
    at = f"fetuses__{n - 1}"
    this = Q(**{f"{at}__n": n})

    def values(c: Consultation, patient: JSON) -> list[JSON]:
        return fetus_observations(c, c.fetuses[n - 1], patient)

    rate = this & Q(**{f"{at}__heart_rate__isnull": False}) & ~Q(**{f"{at}__heart_rate": None})
    lie = this & Q(**{f"{at}__presentation__isnull": False}) & ~Q(**{f"{at}__presentation": ""})
    prefix = f"consultation-fetus{n}-"
    return (
        fixed(Consultation, f"{prefix}heart-rate-", _one(f"{prefix}heart-rate-", values), FETAL_HEART_RATE, has=rate),
        fixed(
            Consultation, f"{prefix}presentation-", _one(f"{prefix}presentation-", values), FETAL_PRESENTATION, has=lie
        ),
    )


CONSULTATION_SOURCES = (
    fixed(
        Consultation,
        "consultation-ga-",
        consultation_ga,
        GESTATIONAL_AGE,
        has=Q(),
        changed=lambda: Greatest(Coalesce("entered_in_error_at", "recorded_at"), F("pregnancy__updated_at")),
        related=("pregnancy",),
    ),
    *(source for n in range(1, MAX_FETUSES + 1) for source in _fetus_sources(n)),
)


# --- From the sections' current versions ----------------------------------------------------------------------


def _current_or_in_error(section: str) -> Q:
    """The section's version in force (no valid one written after it) or one marked in error, as the card maps."""
    later = SectionEntry.objects.filter(
        pregnancy=OuterRef("pregnancy"), section=section, entered_in_error_at__isnull=True
    ).filter(Q(recorded_at__gt=OuterRef("recorded_at")) | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk")))
    return Q(section=section) & (Q(entered_in_error_at__isnull=False) | ~Q(Exists(later)))


def _has(*keys: str) -> Q:
    found = Q()
    for key in keys:
        found &= Q(**{f"data__{key}__isnull": False}) & ~Q(**{f"data__{key}": None})
    return found


def _section_sources() -> tuple[Source, ...]:
    before, previous = _current_or_in_error("before"), _current_or_in_error("previous")
    kinds: list[tuple[str, Mapper, Code, Q]] = [
        ("section-height-", before_pregnancy_observations, HEIGHT, before & _has("height_cm")),
        ("section-weight-", before_pregnancy_observations, PREPREGNANCY_WEIGHT, before & _has("weight_kg")),
        ("section-bmi-", before_pregnancy_observations, BMI, before & _has("height_cm", "weight_kg")),
    ]
    kinds += [
        (f"section-{PREVIOUS_IDS[key]}-", previous_pregnancy_observations, code, previous & _has(key))
        for key, code in PREVIOUS_COUNTS.items()
    ]
    return tuple(
        fixed(SectionEntry, prefix, _one(prefix, mapper), code, has=has, date="recorded_at")
        for prefix, mapper, code, has in kinds
    )


# --- The issue-16 series --------------------------------------------------------------------------------------


def _scan_value(prefix: str) -> Mapper:
    return _one(prefix, lambda scan, patient: ultrasound_resources(scan, patient)[1:])


def _symptoms(values: Iterable[Any]) -> Q:
    """A symptom by its key in the card's local system (`urn:helseportal:pregnancy-symptom|bleeding`)."""
    return any_rows([Q(kind=t.code) if t.code else Q() for t in values if t.system in (None, SYMPTOM_SYSTEM)])


SYMPTOM_SYSTEM = codes.LOCAL + "pregnancy-symptom"
SERIES_SOURCES = (
    measurements(
        Symptom,
        "symptom-",
        symptom_observation,
        has=Q(),
        date="date",
        code=_symptoms,
        category=lambda values: any_rows(
            [Q() for t in values if t.system in (None, CATEGORY) and t.code in ("", "survey")]
        ),
    ),
    # An earlier birth is dated by its year only: no `date` to search or sort by.
    fixed(EarlierBirth, "earlier-birth-", earlier_birth_observation, EARLIER_BIRTH, has=Q(), date=None),
    fixed(Nipt, "nipt-", nipt_observation, NIPT, has=Q()),
    fixed(BirthOutcome, "birth-", birth_observation, BIRTH, has=Q(), date="born_at"),
    fixed(
        Ultrasound,
        "ultrasound-ga-",
        _scan_value("ultrasound-ga-"),
        US_GESTATIONAL_AGE,
        has=Q(ga_days__isnull=False),
    ),
    fixed(
        Ultrasound, "ultrasound-fetuses-", _scan_value("ultrasound-fetuses-"), US_FETUSES, has=Q(fetuses__isnull=False)
    ),
    fixed(Ultrasound, "ultrasound-placenta-", _scan_value("ultrasound-placenta-"), PLACENTA, has=~Q(placenta="")),
)

OBSERVATIONS = (
    *PREGNANCY_SOURCES,
    *CONSULTATION_SOURCES,
    *_section_sources(),
    *SERIES_SOURCES,
)


# --- The ultrasound as a DiagnosticReport ---------------------------------------------------------------------


def _scans_in_scope(actor: Actor) -> QuerySet[Ultrasound]:
    return reach(actor, Ultrasound.objects.annotate(changed_at=Coalesce("entered_in_error_at", "recorded_at")))


@codes.in_bokmal
def _report(scan: Ultrasound) -> JSON:
    patient = patient_reference(scan.person)
    return ultrasound_report(scan, patient, ultrasound_resources(scan, patient)[1:])


DIAGNOSTIC_REPORT = ResourceType(
    name="DiagnosticReport",
    sources=(
        Source(
            model=Ultrasound,
            scope=_scans_in_scope,
            to_fhir=_report,
            params={
                "patient": PATIENT,
                "subject": PATIENT,
                "date": Param(Kind.DATE, field="date", description="The day of the scan."),
                "status": STATUS,
            },
            sort={"date": "date"},
            last_updated="changed_at",
            id_prefix="ultrasound-",
            select_related=("person",),
            area=AREA,  # the card's, though records provides the type
        ),
    ),
    area=AREA,
    documentation="The ultrasound scans on the pregnancy card, with their findings and measurements.",
)
