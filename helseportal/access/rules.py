"""Who may act for whom: the rules of DOMAIN.md §2 as one table, as pure functions over plain facts.

Pure so that Hypothesis can try every age around the 12th, 13th, 16th and 18th birthdays without a database.
Law: pasient- og brukerrettighetsloven § 3-4 (information to parents under 16; from 12 the child may object;
at 16 the youth decides, *helserettslig myndig*) and Helsenorge's rules for acting on behalf of others.
"""

import datetime
from dataclasses import dataclass

from helseportal.access.models import ServiceArea

# The areas a service asks about, all from `ServiceArea`, the one list. The citizen's services: those a power of
# attorney can name one by one and the parent table opens or closes.
APPOINTMENTS, MESSAGES = ServiceArea.APPOINTMENTS.value, ServiceArea.MESSAGES.value
PREGNANCY, RECORDS = ServiceArea.PREGNANCY.value, ServiceArea.RECORDS.value
GP = ServiceArea.GP.value
# The six record services of issue 11 (Legemidler, Prøvesvar, Vaksiner, Pasientjournal, Henvisninger, Helsekontakter).
MEDICINES, RESULTS, VACCINES = ServiceArea.MEDICINES.value, ServiceArea.RESULTS.value, ServiceArea.VACCINES.value
DOCUMENTS, REFERRALS, CONTACTS = ServiceArea.DOCUMENTS.value, ServiceArea.REFERRALS.value, ServiceArea.CONTACTS.value
RECORD_SERVICES = frozenset({MEDICINES, RESULTS, VACCINES, DOCUMENTS, REFERRALS, CONTACTS})
SERVICE_AREAS = tuple(
    area.value
    for area in ServiceArea
    if area not in (ServiceArea.ALL, ServiceArea.ACCOUNT, ServiceArea.YOUTH, ServiceArea.USAGE_STATISTICS)
)
# The person's own use of the portal: logins, the profile, powers of attorney, reading the log itself.
# No service shows it; the audit log does (audit.codes.area_of), and a representative sees it only with this area.
ACCOUNT = ServiceArea.ACCOUNT.value
# The youth services (DOMAIN.md §2, §4): the youth's own, never a representative's.
YOUTH = ServiceArea.YOUTH.value
# Usage statistics are about the portal, not a person: no citizen and no representative acts in it.
USAGE_STATISTICS = ServiceArea.USAGE_STATISTICS.value
AREAS = frozenset({*SERVICE_AREAS, ACCOUNT, YOUTH})
NEVER_FOR_REPRESENTATIVES = frozenset({YOUTH})

# DOMAIN.md §2 and §4: "13–16 without parental consent" use the youth services with MinID, that is from the 13th
# birthday until the 16th (pasient- og brukerrettighetsloven § 3-4: parents' right to information ends at 16, and
# from then on the ordinary services are hers; issue 16 read the source so). range() excludes its end: 13, 14, 15.
YOUTH_AGES = range(13, 16)


def of_youth_age(age: int) -> bool:
    """Whether the youth services are meant for a person of this age (tested at the 13th and 16th birthday)."""
    return age in YOUTH_AGES


@dataclass(frozen=True)
class ParentBand:
    """One row of the parent table: a parent with parental responsibility for a child aged `low` to `high`
    (exclusive) may use `areas`; of them, `at_address` only while a responsible parent is registered at the
    child's address, and `write_at_own_address` changed only while the acting parent herself is."""

    low: int
    high: int
    band: str
    areas: frozenset[str]
    at_address: frozenset[str]
    write_at_own_address: frozenset[str] = frozenset()


_UNDER_12 = frozenset({*SERVICE_AREAS, ACCOUNT})
# Both bands: a parent *switches* the GP (and joins or leaves a waiting list) only for her own children at her own
# address: «you can change your regular GP for both yourself and your own children living at the same address»
# (helsenorge.no/foreigners-in-norway/general-practitioner; DOMAIN.md §2 "a parent switches for children under 16
# at her address"). Seeing the child's GP needs only one responsible parent there, like the other services
# (helsenorge.no/fastlegen/: «bare hvis minst én av foreldrene er folkeregistrert på samme adresse som barnet»).
_SWITCH_AT_OWN_ADDRESS = frozenset({GP})
# The parent table, one row per age band of the child. From 16 a parent has no access of her own.
PARENT_RULES: tuple[ParentBand, ...] = (
    # Under 12: every service, "but only if at least one parent is registered at the child's address" (DOMAIN.md
    # §2; helsenorge.no/innboks/ "Barn under 12 år", and each record service's page says the same).
    ParentBand(0, 12, "under_12", _UNDER_12, at_address=_UNDER_12, write_at_own_address=_SWITCH_AT_OWN_ADDRESS),
    # 12–15 (DOMAIN.md §2, §3): no messages on the child's behalf, no hospital journal (`documents`) and no test
    # results (`results`; issue 11 item 7), and her pregnancy card, with its HIV, syphilis and chlamydia results,
    # is hers alone. Nor her own use of the portal (logins, profile, log reads): when and how she uses it would
    # tell what those areas hold (our own reading of § 3-4). The legacy `records` area stays closed.
    # Open, each with its source:
    # - appointments: as before (no source limits it; no address rule is published for it: our reading).
    # - gp: a parent switches the GP for a child under 16 *at her address* (Helfo, DOMAIN.md §2 "Bytte fastlege").
    # - medicines: "For barn fra 0-16 år kan foreldre ha digitalt innsyn i barnets resepter ... men kun dersom minst
    #   en av foreldrene har samme folkeregistrerte adresse som barnet"; from 12 single prescriptions may be hidden
    #   from parents (*vergeinnsynsreservasjon*, `item_visible`) (helsenorge.no/legemidler/e-resept-og-mine-resepter/
    #   mine-barns-resepter/; DOMAIN.md §2).
    # - vaccines: "Du kan benytte denne tjenesten på vegne av barn under 16 år som du har foreldreansvar for, men
    #   bare hvis minst én av foreldrene er folkeregistrert på samme adresse som barnet" (helsenorge.no/vaksiner/).
    # - referrals and contacts: the issue's rule (issue 11 item 7: "from 12 parents see no test results and no
    #   hospital journal, and no item that has vergeinnsynsreservasjon"): they stay open, without her reserved
    #   items (`records_visible`), and Helsekontakter never shows a parent her youth-service contacts (HFU, the
    #   school health service: DOMAIN.md §4, `records/contacts`). At her address, like the other record services
    #   (our reading: no source publishes an address rule for these two).
    ParentBand(
        12,
        16,
        "12_to_15",
        frozenset({APPOINTMENTS, GP, MEDICINES, VACCINES, REFERRALS, CONTACTS}),
        at_address=frozenset({GP, MEDICINES, VACCINES, REFERRALS, CONTACTS}),
        write_at_own_address=_SWITCH_AT_OWN_ADDRESS,
    ),
)
PARENT_LOSES_ACCESS_AT = 16
POA_MIN_GIVER_AGE = 16
POA_MIN_RECEIVER_AGE = 18

# Ungdomstilgang med foreldresamtykke (DOMAIN.md §2; NHN, "Tjenester for ungdom under 16 år", 2024: "tilgjengelig
# for alle mellom 13 og 16 år som får foreldresamtykke og har BankID"): with a parent's consent in force, a youth
# from her 13th birthday until her 16th, logged in on assurance level high, sees "navn og kontaktinformasjon til
# fastlegen" (`gp`, `contacts`), "vaksineoversikt" (`vaccines`) and "oversikt over aktive resepter og resepter de
# siste 12 månedene" (`medicines`; the 12 months are the medicines page's filter). To see, not to change: renewing
# a prescription and booking with the GP are announced for later (same sources), so a write is refused (our reading).
# Without consent a person under 16 reaches none of the record services for herself, nor the GP; the youth services
# stay hers (YOUTH_AGES). Her other areas (messages, appointments, her pregnancy card) are not this table's.
YOUTH_CONSENT_AGES = range(13, 16)
YOUTH_CONSENT_AREAS = frozenset({GP, CONTACTS, VACCINES, MEDICINES})
# Pasientreiser and Frikort og egenandeler are governed too (review finding 5): DOMAIN.md §2 gives a person under 16
# only the youth services or the consent areas, and neither is among them (a parent or a proxy acts there for her).
OWN_UNDER_16_GOVERNED = frozenset(
    {*RECORD_SERVICES, RECORDS, GP, ServiceArea.PATIENT_TRAVEL.value, ServiceArea.COPAYMENTS.value}
)


@dataclass(frozen=True)
class Facts:
    """What the register says about one person on the day of the decision."""

    age: int
    protected_address: bool = False
    address: str = ""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    # The areas an allowed decision is limited to (a parent's age band); None: not limited by this decision.
    areas: frozenset[str] | None = None
    band: str = ""
    # The band's areas closed because no responsible parent lives at the child's address (the denial's reason).
    closed_by_address: frozenset[str] = frozenset()
    # The band's areas she may see but not change because she herself is not registered at the child's address.
    closed_to_write: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return self.allowed


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def parent_may_act(
    parent: Facts,
    child: Facts,
    *,
    a_responsible_parent_lives_with_child: bool,
    acting_parent_lives_with_child: bool = False,
) -> Decision:
    """A parent with parental responsibility acting for their child; `area_allowed` narrows it to one area (and,
    to change it, to the areas open to her own address: `write_at_own_address`)."""
    if parent.protected_address or child.protected_address:
        return deny("protected_address")
    if child.age >= PARENT_LOSES_ACCESS_AT:
        return deny("child_is_16_or_older")
    for row in PARENT_RULES:
        if row.low <= child.age < row.high:
            closed = frozenset() if a_responsible_parent_lives_with_child else row.at_address
            if not row.areas - closed:
                return deny("no_parent_at_childs_address")
            reason = f"parent_of_child_{row.band}"
            to_write = frozenset() if acting_parent_lives_with_child else row.write_at_own_address
            return Decision(
                True, reason, row.areas - closed, row.band, closed_by_address=closed, closed_to_write=to_write
            )
    return deny("age_unknown")


@dataclass(frozen=True)
class Power:
    """A power of attorney (fullmakt) as stored."""

    area: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    revoked: bool


def proxy_may_act(receiver: Facts, giver: Facts, power: Power, area: str, day: datetime.date) -> Decision:
    """The receiver of a power of attorney acting for its giver in `area`; only a power for all covers ACCOUNT."""
    if receiver.protected_address or giver.protected_address:
        return deny("protected_address")
    if giver.age < POA_MIN_GIVER_AGE:
        return deny("giver_under_16")
    if receiver.age < POA_MIN_RECEIVER_AGE:
        return deny("receiver_under_18")
    if power.revoked:
        return deny("power_revoked")
    if day < power.valid_from or (power.valid_to is not None and day > power.valid_to):
        return deny("power_not_in_force")
    if power.area not in (ServiceArea.ALL, area):
        return deny("power_does_not_cover_area")
    return Decision(True, "power_of_attorney")


def area_allowed(decision: Decision, area: str, *, write: bool = False) -> Decision:
    """Narrow a representation decision to one area (to change it, when `write`); an area the table does not
    know is refused."""
    if not decision:
        return decision
    if area not in AREAS:
        return deny("unknown_area")
    if area in NEVER_FOR_REPRESENTATIVES:
        return deny("youth_services_are_private")
    if area in decision.closed_by_address:
        return deny("no_parent_at_childs_address")
    if write and area in decision.closed_to_write:
        return deny("acting_parent_not_at_childs_address")
    if decision.areas is not None and area not in decision.areas:
        return deny(f"restricted_{decision.band}:{area}")
    return decision


def own_use(me: Facts, area: str, *, consent: bool, write: bool = False) -> Decision:
    """A citizen logged in on level high, using `area` for herself: every area from 16; under 16 the record
    services and the GP only with a parent's youth-access consent, from 13, to read (`YOUTH_CONSENT_AREAS`)."""
    if me.age >= PARENT_LOSES_ACCESS_AT or area not in OWN_UNDER_16_GOVERNED:
        return Decision(True, "self")
    if me.age not in YOUTH_CONSENT_AGES:
        return deny("self_under_13")
    if not consent:
        return deny("youth_access_without_consent")
    if area not in YOUTH_CONSENT_AREAS:
        return deny(f"youth_access_excludes:{area}")
    if write:
        return deny("youth_access_read_only")
    return Decision(True, "self_youth_access")


def item_visible(*, reserved: bool, acts_for_other: bool) -> bool:
    """Whether one record item may be shown: an item with *vergeinnsynsreservasjon* never to anyone acting for the
    person (a parent, also one let back in by a power of attorney from 16: our choice, the safe reading of "never
    to parents", DOMAIN.md §2), always to the person herself; an item without it, to whoever may use the area."""
    return not (reserved and acts_for_other)
