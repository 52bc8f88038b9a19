"""The one access decision: may this actor do this to this person's data, or act in this unit's role, and why (not)?

Every service and query asks here and nowhere else (ARCHITECTURE.md rule 1):

- `check(actor, subject_id=, area=)` answers with a `Decision` (allowed, and the reason for the audit record);
- `require(...)` and `require_subject(actor, area)` raise `NotFound` on a denial, so that a denied read looks
  exactly like a missing record, and audit the denial when asked to;
- `require_unit_role(actor, role)` is the staff side: the unit a practitioner acts for, if she has that role
  there (HelseID says who she is; `organisations.Membership` says what she may do at the unit);
- `open_areas` and `offered_areas` are what the start page and the audit log show for the person acted for;
- `item_visible(actor, reserved=)` and `records_visible(actor, rows)` keep an item with *vergeinnsynsreservasjon*
  from anyone acting for the person: every record service, PDF, count, notification and log line asks them.

Every function here that reads reads the primary (`primary_reads`, ADR 0017), also inside a stale-ok scope: a
decision is never made on facts a replica has not received yet.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from helseportal.access import audit, rules
from helseportal.access.models import Outcome, Permission, PowerOfAttorney, SharingGrant, YouthAccessConsent
from helseportal.access.rules import (
    AREAS,
    YOUTH,
    Decision,
    Facts,
    Power,
    area_allowed,
    deny,
    of_youth_age,
    own_use,
    parent_may_act,
    proxy_may_act,
)
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.dbrouter import primary_reads
from helseportal.core.errors import NotFound
from helseportal.core.ids import age_on
from helseportal.core.time import today
from helseportal.fhir.provider import in_one_request, once, remember
from helseportal.identity.models import AddressProtection, ParentalResponsibility, Person
from helseportal.organisations.models import Membership, Unit
from helseportal.organisations.models import Role as UnitRole

YOUTH_AREA = YOUTH


def facts(person: Person) -> Facts:
    return Facts(
        age=person.age_on(today()),
        protected_address=person.address_protection != AddressProtection.NONE,
        address=f"{person.street_address}|{person.postcode}".lower(),
    )


@dataclass(frozen=True)
class Relation:
    """What the register and the powers say about one representative and one subject today, read once: the
    parent decision before it is narrowed to an area (None: not a parent), and the powers of attorney."""

    representative: Facts
    subject: Facts
    as_parent: Decision | None
    powers: tuple[Power, ...]

    def decide(self, area: str, *, write: bool = False) -> Decision:
        """Parental access comes first; where it ends (the child is 16) a power of attorney from the youth may
        still let the parent in (DOMAIN.md §2: "parents lose access unless given power of attorney")."""
        decision = deny("no_relation")
        if self.as_parent is not None:
            decision = area_allowed(self.as_parent, area, write=write)
            if decision:
                return decision
        for power in self.powers:
            by_power = proxy_may_act(self.representative, self.subject, power, area, today())
            if by_power:
                return area_allowed(by_power, area)
            if decision.reason == "no_relation":
                decision = by_power  # keep why the power did not count, for the audit record
        return decision


@primary_reads()
def relation(representative: Person, subject: Person) -> Relation:
    as_parent = None
    if ParentalResponsibility.objects.filter(parent=representative, child=subject).exists():
        parents = Person.objects.filter(responsible_for__child=subject)
        child = facts(subject)
        known = child.address != "|"
        lives_with = known and any(facts(p).address == child.address for p in parents)
        me = facts(representative)
        as_parent = parent_may_act(
            me,
            child,
            a_responsible_parent_lives_with_child=lives_with,
            acting_parent_lives_with_child=known and me.address == child.address,
        )
    powers = tuple(
        Power(poa.area, poa.valid_from, poa.valid_to, poa.revoked_at is not None)
        for poa in PowerOfAttorney.objects.filter(giver=subject, receiver=representative)
    )
    return Relation(facts(representative), facts(subject), as_parent, powers)


def representation(representative: Person, subject: Person, area: str) -> Decision:
    """May `representative` act for `subject` in `area` today, as parent or by power of attorney?"""
    return relation(representative, subject).decide(area)


@primary_reads()
def active_grants(actor: Actor, area: str) -> QuerySet[SharingGrant]:
    """Grants in force today to this practitioner by name, or to the unit they act for and still work at."""
    mine = Q(practitioner_id=actor.practitioner_key)
    if (
        actor.unit_id is not None
        and Membership.objects.filter(
            practitioner_id=actor.practitioner_key, unit_id=actor.unit_id, role=UnitRole.CLINICIAN
        ).exists()
    ):
        mine |= Q(unit_id=actor.unit_id)
    return SharingGrant.objects.filter(mine, area=area, revoked_at__isnull=True, valid_to__gte=today())


@primary_reads()
def practitioner_check(actor: Actor, *, subject_id: int, area: str, write: bool) -> Decision:
    """HelseID decides nothing: the woman's sharing grant does (DOMAIN.md §2, §3)."""
    if not is_clinician(actor):
        return deny("not_a_clinician")
    grants = active_grants(actor, area).filter(person_id=subject_id)
    if write:
        grants = grants.filter(permission=Permission.READ_WRITE)
    if grants.exists():
        return Decision(True, "shared_read_write" if write else "shared")
    return deny("no_grant_for_write" if write else "no_grant")


@primary_reads()
def check(actor: Actor, *, subject_id: int, area: str, write: bool = False) -> Decision:
    """Decide whether `actor` may use `area` for person `subject_id` (to change it, when `write`)."""
    return _decider(actor, subject_id, write=write)(area)


@primary_reads()
def _decider(actor: Actor, subject_id: int, *, write: bool = False) -> Callable[[str], Decision]:
    """The decision for one actor and subject as a function of the area, with what it needs read once."""
    if actor.is_practitioner:
        return lambda area: practitioner_check(actor, subject_id=subject_id, area=area, write=write)
    if not actor.is_citizen:
        return lambda area: deny("not_a_citizen")
    if actor.role == Role.YOUTH or actor.assurance < Assurance.HIGH:
        # MinID reaches only the youth services, and only one's own (DOMAIN.md §2).
        own = subject_id == actor.person_id and actor.assurance >= Assurance.SUBSTANTIAL
        return lambda area: Decision(True, "self_youth") if area == YOUTH_AREA and own else deny("assurance_too_low")
    if subject_id == actor.person_id:
        return _own(subject_id, write=write)
    representative = Person.objects.filter(pk=actor.own_person_id).first()
    subject = Person.objects.filter(pk=subject_id).first()
    if representative is None or subject is None:
        return lambda area: deny("unknown_person")
    found = relation(representative, subject)
    return lambda area: found.decide(area, write=write)


def _own(person_id: int, *, write: bool) -> Callable[[str], Decision]:
    """A citizen on level high for herself: the rule table's `own_use`, with her age and whether a youth-access
    consent is in force read in one query, once per API request (only under 16 does the consent matter)."""
    found = once(("access:own", person_id), lambda: _age_and_consent(person_id))
    if found is None:
        return lambda area: deny("unknown_person")
    me, consent = Facts(age=found[0]), found[1]
    return lambda area: own_use(me, area, consent=consent, write=write)


@primary_reads()
def _age_and_consent(person_id: int) -> tuple[int, bool] | None:
    """`_ages_and_consents` for one person, the statement written once per process (no ORM compiling: it was a
    fifth of her pregnancy overview's CPU, issue 14); the same query, the same database."""
    alias = router.db_for_read(Person) or "default"
    with connections[alias].cursor() as cursor:
        cursor.execute(_age_and_consent_sql(alias), [person_id])
        row = cursor.fetchone()
    if row is None:
        return None
    born = Person._meta.get_field("birth_date").to_python(row[0])  # SQLite gives the text
    return age_on(born, today()), bool(row[1])


@functools.cache  # per process and database: the tables do not change while it runs
def _age_and_consent_sql(alias: str) -> str:
    def name(model: type[Model], field: str | None = None) -> str:
        meta = model._meta
        return connections[alias].ops.quote_name(
            str(meta.db_table if field is None else getattr(meta.get_field(field), "column", field))
        )

    person, consent = name(Person), name(YouthAccessConsent)
    child, withdrawn = name(YouthAccessConsent, "child"), name(YouthAccessConsent, "withdrawn_at")
    key, born = name(Person, "id"), name(Person, "birth_date")
    return (
        f"SELECT p.{born}, EXISTS(SELECT 1 FROM {consent} c WHERE c.{child} = p.{key} AND c.{withdrawn} IS NULL) "  # noqa: S608
        f"FROM {person} p WHERE p.{key} = %s"
    )


@primary_reads()
def _ages_and_consents(person_ids: Iterable[int]) -> dict[int, tuple[int, bool]]:
    in_force = YouthAccessConsent.objects.filter(child_id=OuterRef("pk"), withdrawn_at__isnull=True)
    rows = Person.objects.filter(pk__in=list(person_ids)).annotate(consent=Exists(in_force))
    day = today()
    found = rows.values_list("pk", "birth_date", "consent")
    return {pk: (age_on(born, day), bool(consent)) for pk, born, consent in found}


def read_own_ahead(person_ids: Iterable[int]) -> None:
    """Read what `check` asks for each person's own use (her age, a youth-access consent) for many persons in one
    query, for the rest of this API request (`provider.once`): a source's Bundle names a hundred."""
    if not in_one_request():
        return
    wanted = sorted(set(person_ids))
    found = _ages_and_consents(wanted)
    for pk in wanted:
        remember(("access:own", pk), found.get(pk))


def item_visible(actor: Actor, *, reserved: bool) -> bool:
    """Whether `actor` may be shown one item of the person acted for, given its *vergeinnsynsreservasjon*
    (`rules.item_visible`): never to a representative, always to the person herself. Ask after the area's check."""
    return rules.item_visible(reserved=reserved, acts_for_other=actor.acts_for_other)


def records_visible[M: Model](
    actor: Actor, rows: QuerySet[M], *, reserved_field: str = "guardian_reserved"
) -> QuerySet[M]:
    """`rows` without the items `actor` may not be shown (`item_visible`): the filter every list, count, PDF,
    notification and API scope of a record service applies to what the area's check let through.

    A citizen's app acting for a child is a representative too (`person_id` is the parent, `subject_id` the child)."""
    if actor.acts_for_other:
        return rows.filter(**{reserved_field: False})
    return rows


@primary_reads()
def open_areas(actor: Actor) -> frozenset[str]:
    """The areas `actor` may use for the person acted for today, each decided as `check` does, from the rule
    table, with the register and the powers read once.

    For whatever shows one area's items outside its own pages: the start page's services, the audit log.
    """
    if actor.subject_id is None:
        return frozenset()
    decide = _decider(actor, actor.subject_id)
    return frozenset(area for area in sorted(AREAS) if decide(area))


@primary_reads()
def offered_areas(actor: Actor) -> frozenset[str]:
    """The areas whose services the start page offers: the open ones, and the youth services only from the 13th
    birthday until the 16th (DOMAIN.md §2). The youth pages themselves still tell an adult or a 12-year-old who
    opens them why they are not for them."""
    areas = open_areas(actor)
    if YOUTH in areas and (actor.subject_id is None or not _of_youth_age(actor.subject_id)):
        areas -= {YOUTH}
    return areas


@primary_reads()
def _of_youth_age(person_id: int) -> bool:
    person = Person.objects.only("birth_date").filter(pk=person_id).first()
    return person is not None and of_youth_age(person.age_on(today()))


@primary_reads()
def require(actor: Actor, *, subject_id: int, area: str, write: bool = False, audit_action: str = "") -> Decision:
    """Like `check`, but a denial raises `NotFound`, exactly as if the record did not exist.

    With `audit_action`, a denial is also written to the audit log (rule 3: denials are logged too), in a
    transaction of its own, since the work it guarded never happens. Never for the youth area: the record
    would be a trace of the youth services on a log her parents may read.
    """
    decision = check(actor, subject_id=subject_id, area=area, write=write)
    if not decision:
        if audit_action and area != YOUTH:
            with transaction.atomic():
                audit.record(actor, audit_action, subject_id=subject_id, outcome=Outcome.DENIED, reason=decision.reason)
        raise NotFound
    return decision


@primary_reads()
def require_subject(actor: Actor, area: str, *, write: bool = False, audit_action: str = "") -> int:
    """The person a logged-in citizen acts for, if she may use `area` for them; `NotFound` otherwise."""
    if actor.subject_id is None or not actor.is_citizen:
        raise NotFound
    require(actor, subject_id=actor.subject_id, area=area, write=write, audit_action=audit_action)
    return actor.subject_id


@primary_reads()
def may_use(actor: Actor, area: str) -> bool:
    """Whether a logged-in citizen may use `area` for the person acted for; no exception, no audit record."""
    if actor.subject_id is None or not actor.is_citizen:
        return False
    return bool(check(actor, subject_id=actor.subject_id, area=area))


def is_clinician(actor: Actor) -> bool:
    """HelseID on security level 4 with an HPR number: the least a practitioner needs for any unit role."""
    return actor.is_practitioner and bool(actor.hpr_number) and actor.assurance >= Assurance.HIGH


@primary_reads()
def unit_role(actor: Actor, role: UnitRole) -> Unit | None:
    """The unit a practitioner acts for, if she holds `role` there today; None otherwise."""
    if not is_clinician(actor) or actor.unit_id is None:
        return None
    member = Membership.objects.filter(practitioner_id=actor.practitioner_key, unit_id=actor.unit_id, role=role)
    return Unit.objects.filter(pk=actor.unit_id).first() if member.exists() else None


@primary_reads()
def require_unit_role(actor: Actor, role: UnitRole = UnitRole.CLINICIAN) -> Unit:
    """The unit a practitioner acts for, if she holds `role` there; `NotFound` otherwise (a unit's requests,
    calendar, inbox or page look missing to anyone else)."""
    unit = unit_role(actor, role)
    if unit is None:
        raise NotFound
    return unit


# Staff roles that are not a unit's (`organisations.Membership`): the operator of the usage statistics (issue 13).
# The app that keeps who holds such a role registers how to ask at its `ready()` (access may not import it), as the
# domains register their ties below; a role no app registered is held by no one.
StaffRole = Callable[[Actor], bool]
_STAFF_ROLES: dict[str, StaffRole] = {}


def register_staff_role(name: str, holds: StaffRole) -> StaffRole:
    """Register the staff role `name`: `holds(actor)` says whether a logged-in practitioner holds it today."""
    _STAFF_ROLES[name] = holds
    return holds


@primary_reads()
def has_staff_role(actor: Actor, name: str) -> bool:
    """Whether `actor` holds the staff role `name`: HelseID level 4 with an HPR number, and the role's own rule."""
    holds = _STAFF_ROLES.get(name)
    return holds is not None and is_clinician(actor) and holds(actor)


def require_staff_role(actor: Actor, name: str) -> None:
    """`NotFound` unless `actor` holds the staff role `name`: its pages look missing to everyone else."""
    if not has_staff_role(actor, name):
        raise NotFound


# The FHIR API's reach (issue 10). An API caller is an `Actor` with a `client_id`, made by `helseportal.smart` from a
# bearer token: a citizen's app (SMART App Launch: role CITIZEN, PARENT or PROXY, `person_id` the logged-in person,
# `subject_id` the patient of the launch) or a system client (SMART Backend Services: role SYSTEM, `unit_id` the unit
# it belongs to). Each domain's `Source.scope` asks here which persons the caller may reach and, per service area,
# whether it may read that area; what it does not reach is a 404, like a missing id (ARCHITECTURE.md rule 2).

Tie = Callable[[int], QuerySet[Any]]
_TIES: list[Tie] = []
API_ROLES = frozenset({Role.CITIZEN, Role.PARENT, Role.PROXY})
# The youth services are the youth's own, with MinID, in the portal: no app reaches them, hers neither (DOMAIN.md §2).
NEVER_THROUGH_AN_APP = frozenset({YOUTH})


def register_tie(tie: Tie) -> Tie:
    """Register how a domain ties persons to a unit: `tie(unit_id)` is a queryset of the domain's rows at the unit,
    with a `person` foreign key (`person_id`), which `api_persons` correlates with each person it is asked about.

    Called once per domain at its app's `ready()` (access may not import the domains): appointments (an
    appointment or a request at the unit), messaging (a thread with it), records (a record it sent).
    `Appointment.objects.filter(unit_id=unit_id).values("person_id")` is the shape: a subquery, never a list, and
    one an index on (unit, person) answers for one person (`api_persons` asks `EXISTS (… AND person_id = p.id)` per
    person, so a unit's many rows are never read whole to answer for a few persons).
    """
    if tie not in _TIES:
        _TIES.append(tie)
    return tie


@primary_reads()
def is_tied(unit_id: int, person_id: int) -> bool:
    """Whether a registered tie (`register_tie`) ties the person to the unit: she has been in contact with it (an
    appointment or request, a thread, a record it sent, a form sent to it). The forms' "the unit's own" asks this."""
    return any(tie(unit_id).filter(person_id=person_id).exists() for tie in _TIES)


def _nobody() -> QuerySet[Any]:
    return Person.objects.none().values("pk")


def _is_system_client(actor: Actor) -> bool:
    return actor.role == Role.SYSTEM and bool(actor.client_id) and actor.unit_id is not None


def _is_citizen_app(actor: Actor) -> bool:
    return (
        actor.role in API_ROLES
        and bool(actor.client_id)
        and actor.is_citizen
        and actor.subject_id is not None
        and actor.assurance >= Assurance.HIGH
    )


def api_persons(actor: Actor) -> QuerySet[Any]:
    """The persons (a one-column queryset of pks) the API caller may reach today; none for anyone else.

    - A citizen's app: the launch's subject only, and only while the rule table lets the logged-in person act for
      the subject in some area other than the youth services: herself, a child under 16 within the parent table
      (a parent of a 16-year-old reaches nobody), or a giver of a power of attorney in force. Which areas the app
      may then read is `api_may_read`'s answer, asked per source.
    - A system client: the persons tied to its unit by any registered tie (`register_tie`), and those who share an
      area with the unit by a sharing grant in force (`api_shared`). Another unit's ties never count: a client of
      unit A does not reach a person known only to unit B. Which of a reached person's rows it sees is the
      domain's scope: its own unit's rows and what is shared with the unit, never another unit's.
    """
    if _is_system_client(actor):
        assert actor.unit_id is not None
        # Each tie as a correlated EXISTS, not `pk IN (subquery)`: PostgreSQL hashes a whole `IN` subquery (every
        # record a unit ever sent) once per query, where EXISTS probes the (unit, person) index per person asked.
        tied = Q(Exists(_shared_with_unit(actor.unit_id).filter(person_id=OuterRef("pk"))))
        for tie in _TIES:
            tied |= Q(Exists(tie(actor.unit_id).filter(person_id=OuterRef("pk"))))
        return Person.objects.filter(tied).values("pk")
    if _is_citizen_app(actor) and _app_areas(actor):
        return Person.objects.filter(pk=actor.subject_key).values("pk")
    return _nobody()


def _app_areas(actor: Actor) -> frozenset[str]:
    """The areas a citizen's app may read for its subject today: the rule table's, never the youth services.
    Decided once per API request (`provider.once`): every source of every type asks, and the answer reads the
    register, the parents and the powers."""
    return once(("access:app-areas", actor), lambda: open_areas(actor) - NEVER_THROUGH_AN_APP)


@primary_reads()
def api_may_read(actor: Actor, area: str) -> bool:
    """Whether the API caller may read (and, with the scope, write) `area` for the persons `api_persons` gives.

    A citizen's app: the rule table's answer for the logged-in person and the subject today (`check`): all areas for
    herself, a parent's areas for the child's age band (12–15: appointments, and at her address the GP, medicines,
    vaccines, referrals and contacts), a proxy's by the power; the youth services never, not even for herself. A
    system client: True, since its sources already keep to the unit's own rows and to what is shared with the unit
    (`api_shared`). Anyone else: False.
    """
    if _is_system_client(actor):
        return True
    if not _is_citizen_app(actor):
        return False
    return area in _app_areas(actor)


def api_shared(actor: Actor, area: str) -> QuerySet[Any]:
    """The persons (a one-column queryset of pks) who share `area` with a system client's unit by a grant in force.

    Only grants to the unit count, not those to a named practitioner there (she reads in the portal, as herself).
    None for a citizen's app: her own data reaches it through `api_persons` and `api_may_read`.
    """
    if not _is_system_client(actor):
        return _nobody()
    assert actor.unit_id is not None
    return _shared_with_unit(actor.unit_id).filter(area=area).values("person_id")


def _shared_with_unit(unit_id: int) -> QuerySet[SharingGrant]:
    return SharingGrant.objects.filter(unit_id=unit_id, revoked_at__isnull=True, valid_to__gte=today())


def api_grants(actor: Actor) -> QuerySet[SharingGrant]:
    """The sharing grants (FHIR `Consent`) the API caller may read.

    A system client: the grants in force to its own unit (the unit's business; not those to its practitioners by
    name, nor ended ones: an ended grant no longer ties the person to the unit). A citizen's app: the subject's
    grants in the areas it may read for her (`api_may_read`), in force or ended. Anyone else: none.
    """
    if _is_system_client(actor):
        assert actor.unit_id is not None
        return _shared_with_unit(actor.unit_id)
    if not _is_citizen_app(actor):
        return SharingGrant.objects.none()
    return SharingGrant.objects.filter(person_id=actor.subject_key, area__in=_app_areas(actor))
