"""The childhood immunisation programme (barnevaksinasjonsprogrammet) as data, and where a child stands in it.

Sources (read 2026-12-05):
- Folkehelseinstituttet, «Barnevaksinasjonsprogrammet – håndbok for helsepersonell»,
  https://www.fhi.no/va/vaksinasjonshandboka/vaksinasjon/barnevaksinasjonsprogrammet/ (date of its last update not
  shown in the text we could read): the first vaccine at six weeks, the last in 10th grade («10. klassetrinn»);
  a child who missed a vaccine has a free offer of it up to the age of 20.
- Folkehelseinstituttet on Helsenorge, «Når får barnet tilbud om de ulike vaksinene?»,
  https://www.helsenorge.no/vaksiner/barnevaksinasjonsprogrammet/nar-far-barnet-tilbud-om-de-ulike-vaksinene
  (last updated 6 May 2022): the steps, 6-, 3-, 5-, 12- and 15-month check-ups, then 2nd grade (about 7), 6th grade
  (about 11), 7th grade (about 12) and 10th grade (about 15).
- What each step gives, where the pages above only name the step: Helsenorge «2. trinn – vaksinering» (DTP-IPV,
  updated 10 January 2020) and «7. trinn – vaksinering» (HPV, two doses at least six months apart); the
  infant and 15-month steps and the 6th- and 10th-grade vaccines as listed by municipalities quoting the programme
  (Lørenskog, Aukra, Vågan kommune) and Legemiddelhåndboka's table L1.10.4 (which lists the combination vaccine
  with hepatitis B, DTP-IPV-Hib-HBV; NDLA's table of the 2013 programme lists it without, DTP-IPV-Hib, so both
  are accepted for those steps).

Not found, so not in the data: the exact week or month inside a school year when a grade's vaccine is given (it
varies by municipality: Vågan gives 2nd grade's in the spring, 6th, 7th and 10th grade's in the autumn); FHI's own
table as one page. The brief for this work said "7th grade MMR": the sources above say 6th grade, and the data
follows them. The extra dose for children born before week 32 and the risk-group vaccines (BCG, hepatitis B) are
not programme steps for every child and are left out.

Vaccines are matched by their ATC code (WHO Collaborating Centre, system `http://www.whocc.no/atc`; in Norway
also Volven's OID for ATC, 2.16.578.1.12.4.1.1.7180). SYSVAK's own codes «bygger på ATC-koden» (FHI, «SYSVAK-koder»,
https://www.fhi.no/hn/helseregistre-og-registre/sysvak/sysvak-koder/) and are published on Volven, which we could
not read; a source that sends only a SYSVAK code is listed, but not matched to a step. Codes: the eHDSI Vaccine
value set (HL7 Europe, 2025-12-23), which lists the J07 codes with their WHO names.
"""

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ATC_SYSTEMS = ("http://www.whocc.no/atc", "urn:oid:2.16.578.1.12.4.1.1.7180")

# The vaccine series of the programme, each with the ATC codes that count as a dose of it.
ROTAVIRUS = "rotavirus"  # J07BH01 rota virus, live attenuated; J07BH02 pentavalent, live, reassorted
INFANT_COMBINATION = "dtp_ipv_hib_hbv"  # J07CA09 with hepatitis B; J07CA06 without (the 2013 programme)
PNEUMOCOCCAL = "pcv"  # J07AL02 pneumococcus, purified polysaccharides antigen conjugated
MMR = "mmr"  # J07BD52 measles with mumps and rubella; J07BD54 also varicella
BOOSTER = "dtp_ipv"  # J07CA02 diphtheria-pertussis-poliomyelitis-tetanus
HPV = "hpv"  # J07BM01, J07BM02, J07BM03 papillomavirus
SERIES_CODES = {
    ROTAVIRUS: frozenset({"J07BH01", "J07BH02"}),
    INFANT_COMBINATION: frozenset({"J07CA09", "J07CA06"}),
    PNEUMOCOCCAL: frozenset({"J07AL02"}),
    MMR: frozenset({"J07BD52", "J07BD54"}),
    BOOSTER: frozenset({"J07CA02"}),
    HPV: frozenset({"J07BM01", "J07BM02", "J07BM03"}),
}
SERIES_NAMES = {
    ROTAVIRUS: _("Rotavirussykdom"),
    INFANT_COMBINATION: _("Difteri, stivkrampe, kikhoste, poliomyelitt, Hib-infeksjon og hepatitt B"),
    PNEUMOCOCCAL: _("Pneumokokksykdom"),
    MMR: _("Meslinger, kusma og røde hunder (MMR)"),
    BOOSTER: _("Difteri, stivkrampe, kikhoste og poliomyelitt"),
    HPV: _("Humant papillomavirus (HPV)"),
}

# Our own rule, not FHI's: a step is overdue when it has not been given three months after the age it is
# recommended at, or, for a school grade, by the end of that school year (30 June).
OVERDUE_AFTER_MONTHS = 3
# A child starts school in the calendar year she turns six (opplæringslova 2023 § 2-2, "frå det året dei fyller seks
# år"; Prop. 57 L (2022–2023) ch. 9 on § 2-1 of the former act). Our own simplification: the school year runs from
# 1 August to 30 June, so grade n is from 1 August of the year she turns 5 + n; a deferred or early start is not
# known to the portal.
SCHOOL_YEAR_STARTS = (8, 1)
SCHOOL_YEAR_ENDS = (6, 30)
# The programme is for children; the catch-up offer lasts to 20 (FHI's handbook, above): the overview is shown to
# anyone younger.
SHOWN_UNTIL_AGE = 20


@dataclass(frozen=True)
class Step:
    """One vaccine at one point of the programme: the nth dose of a series, at an age or in a school grade."""

    series: str
    dose: int  # the dose of the series this step is (1 for the first)
    when: Promise  # as the programme says it: «6 uker», «2. trinn»
    weeks: int = 0
    months: int = 0
    grade: int = 0
    note: Promise | None = None

    @property
    def disease(self) -> Promise:
        return SERIES_NAMES[self.series]


PROGRAMME: tuple[Step, ...] = (
    Step(ROTAVIRUS, 1, _("6 uker"), weeks=6),
    Step(ROTAVIRUS, 2, _("3 måneder"), months=3),
    Step(INFANT_COMBINATION, 1, _("3 måneder"), months=3),
    Step(PNEUMOCOCCAL, 1, _("3 måneder"), months=3),
    Step(INFANT_COMBINATION, 2, _("5 måneder"), months=5),
    Step(PNEUMOCOCCAL, 2, _("5 måneder"), months=5),
    Step(INFANT_COMBINATION, 3, _("12 måneder"), months=12),
    Step(PNEUMOCOCCAL, 3, _("12 måneder"), months=12),
    Step(MMR, 1, _("15 måneder"), months=15),
    Step(BOOSTER, 1, _("2. trinn (ca. 7 år)"), grade=2),
    Step(MMR, 2, _("6. trinn (ca. 11 år)"), grade=6),
    Step(HPV, 1, _("7. trinn (ca. 12 år)"), grade=7),
    Step(HPV, 2, _("7. trinn (ca. 12 år)"), grade=7, note=_("minst 6 måneder etter første dose")),
    Step(BOOSTER, 2, _("10. trinn (ca. 15 år)"), grade=10),
)


class State(enum.StrEnum):
    GIVEN = "given"
    DUE = "due"
    NOT_YET = "not_yet"
    OVERDUE = "overdue"


STATE_LABELS = {
    State.GIVEN: _("Gitt"),
    State.DUE: _("Nå"),
    State.NOT_YET: _("Ikke ennå"),
    State.OVERDUE: _("Forsinket"),
}


@dataclass(frozen=True)
class Group:
    """The steps at one point of the programme (the 3-month check-up gives three vaccines), for the page."""

    when: str
    statuses: list["Status"]


def grouped(statuses: Iterable["Status"]) -> list[Group]:
    """Consecutive steps with the same `when`, together, in the programme's order."""
    groups: list[Group] = []
    for status in statuses:
        when = str(status.step.when)
        if groups and groups[-1].when == when:
            groups[-1].statuses.append(status)
        else:
            groups.append(Group(when, [status]))
    return groups


@dataclass(frozen=True)
class Given:
    """A received vaccination as the programme needs it: its ATC codes, when, and the record's key."""

    codes: frozenset[str]
    on: datetime.date
    record_id: int


@dataclass(frozen=True)
class Status:
    step: Step
    state: State
    due_from: datetime.date
    overdue_from: datetime.date
    given: Given | None = None

    @property
    def label(self) -> Promise:
        return STATE_LABELS[self.state]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months; the 31st of a shorter month becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def window(step: Step, born: datetime.date) -> tuple[datetime.date, datetime.date]:
    """When the step is due, and from when it counts as overdue (our rule, `OVERDUE_AFTER_MONTHS`)."""
    if step.grade:
        start_year = born.year + 5 + step.grade
        due = datetime.date(start_year, *SCHOOL_YEAR_STARTS)
        return due, datetime.date(start_year + 1, *SCHOOL_YEAR_ENDS) + datetime.timedelta(days=1)
    due = add_months(born + datetime.timedelta(weeks=step.weeks), step.months)
    return due, add_months(due, OVERDUE_AFTER_MONTHS)


def shown_for(born: datetime.date, today: datetime.date) -> bool:
    """Whether a person born then is still of the programme's age (the catch-up offer's, under 20)."""
    return add_months(born, 12 * SHOWN_UNTIL_AGE) > today


def status(born: datetime.date, received: Iterable[Given], today: datetime.date) -> list[Status]:
    """Each step of the programme for a child born on `born`, on `today`.

    A series' received doses are matched to its steps in date order (the first rotavirus vaccine to the 6-week step,
    the second to the 3-month step), whatever dose number the source sent: an extra dose (travel, a catch-up) may
    fill a later step, which is the safe side of "given" only when it really was a dose of that vaccine."""
    doses = _by_series(received)
    found = []
    for step in PROGRAMME:
        due, overdue = window(step, born)
        series = doses.get(step.series, [])
        given = series[step.dose - 1] if len(series) >= step.dose else None
        if given is not None:
            state = State.GIVEN
        elif today < due:
            state = State.NOT_YET
        elif today < overdue:
            state = State.DUE
        else:
            state = State.OVERDUE
        found.append(Status(step, state, due, overdue, given))
    return found


def _by_series(received: Iterable[Given]) -> dict[str, list[Given]]:
    doses: dict[str, list[Given]] = {}
    for given in sorted(received, key=lambda g: (g.on, g.record_id)):
        for series, codes in SERIES_CODES.items():
            if given.codes & codes:
                doses.setdefault(series, []).append(given)
    return doses


def atc_codes(codings: Sequence[object]) -> frozenset[str]:
    """The ATC codes among a CodeableConcept's codings (as received: anything may be missing)."""
    return frozenset(
        str(coding["code"])
        for coding in codings
        if isinstance(coding, dict) and coding.get("system") in ATC_SYSTEMS and coding.get("code")
    )
