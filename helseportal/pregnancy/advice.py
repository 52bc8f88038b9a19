"""Advice from the guidelines, never a diagnosis: what the woman should do, and whom to contact, when.

Every rule cites its source (DOMAIN.md §3). The texts tell her what the guideline says to do; they never say
what she has ("you have pre-eclampsia"): that is for the midwife or doctor to find out.
"""

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _

from helseportal.pregnancy import intergrowth
from helseportal.pregnancy.dates import GestationalAge

# The sources shown under each piece of advice ("Kilde: …"): names of publications, not translated.
GUIDELINE = "Helsedirektoratet: Nasjonal faglig retningslinje for svangerskapsomsorgen (IS-2735)"
WHO = "WHO: danger signs in pregnancy"
SF_GUIDANCE = "Kunskapsstöd för vårdgivare (Sverige): SF-mått; referanse INTERGROWTH-21st"
FETAL_MOVEMENTS = "Norsk gynekologisk forening: Veileder i fødselshjelp, «Lite liv» (2024); IS-2735"
PRE_ECLAMPSIA = "NHI.no: Svangerskapsforgiftning (preeklampsi)"
PRETERM_LABOUR = "Helsenorge: Prematur/for tidlig fødsel"
WATERS_BREAKING = "Helsenorge: Når fostervannet går"
LABOUR = "Helse Førde: Fødsel og barsel"
CHOLESTASIS = (
    "Norsk gynekologisk forening: Veileder i fødselshjelp, «Intrahepatisk svangerskapskolestase»; "
    "NHI.no: Gallestase hos gravide"
)
ECLAMPSIA = "NHI.no: Svangerskapsforgiftning (eklampsi: kramper); WHO: danger signs in pregnancy"
FIGO_CTG = "FIGO 2015: Consensus guidelines on intrapartum fetal monitoring, cardiotocography"

Number = Decimal | float | int


class Level(enum.IntEnum):
    """How soon to act; ordered, so the most urgent of several pieces of advice is `max()`."""

    INFO = 1
    CONTACT = 2
    CONTACT_NOW = 3


@dataclass(frozen=True)
class Advice:
    level: Level
    key: str
    text: str
    source: str
    phone: str = ""  # a number the page makes a link of, where it stands in the text (or after it)

    @property
    def parts(self) -> tuple[str, str, str]:
        """The text split around its phone number, so the page shows the number once, as a link."""
        if self.phone and self.phone in self.text:
            before, _sep, after = self.text.partition(self.phone)
            return before, self.phone, after
        if self.phone:
            return f"{self.text} ", self.phone, ""
        return self.text, "", ""

    @property
    def tel(self) -> str:
        """The phone number for a `tel:` link: digits only."""
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


class Reported(NamedTuple):
    """A symptom she registered: its key (pregnancy.sections.SYMPTOMS), how bad, and her week that day."""

    key: str
    severity: str = "mild"
    ga: GestationalAge | None = None  # None when unknown: rules with a week limit then err on the safe side


def _decimal(value: Number) -> Decimal:
    # str() first: Decimal(5.3) is 5.2999…, which would slip under a 5.3 threshold.
    return value if isinstance(value, Decimal) else Decimal(str(value))


# --- Blood pressure --------------------------------------------------------------------------------------


def is_high(systolic: int, diastolic: int) -> bool:
    """140 systolic and/or 90 diastolic or more (IS-2735): to be followed up when measured twice."""
    return systolic >= 140 or diastolic >= 90


def is_severe(systolic: int, diastolic: int) -> bool:
    """160 systolic and/or 110 diastolic or more (IS-2735): severe, urgent."""
    return systolic >= 160 or diastolic >= 110


def blood_pressure_advice(readings: Sequence[tuple[int, int]]) -> Advice | None:
    """Judge her recent (systolic, diastolic) readings: ≥140/90 twice → contact; ≥160/110 once → at once."""
    if any(is_severe(s, d) for s, d in readings):
        text = _("Blodtrykket er 160/110 eller høyere. Kontakt fødeavdelingen, fastlegen eller legevakten nå.")
        return Advice(Level.CONTACT_NOW, "bp_severe", text, GUIDELINE)
    high = sum(1 for s, d in readings if is_high(s, d))
    if high >= 2:
        text = _("Blodtrykket har vært 140/90 eller høyere to ganger. Kontakt jordmor eller fastlege for oppfølging.")
        return Advice(Level.CONTACT, "bp_high", text, GUIDELINE)
    if high == 1:
        # House choice, not a guideline threshold: one high reading is worth a second look after rest,
        # because the guideline acts on two.
        text = _("Én måling var 140/90 eller høyere. Hvil en stund og mål blodtrykket på nytt.")
        return Advice(Level.INFO, "bp_measure_again", text, GUIDELINE)
    return None


# --- Symptoms --------------------------------------------------------------------------------------------

SEVERE = "severe"


@dataclass(frozen=True)
class DangerSign:
    """A symptom that calls for contact at once: whether only its severe form counts, and until which week."""

    source: str
    severe_only: bool = False  # a mild headache is not a danger sign; any bleeding is
    before: GestationalAge | None = None  # counts only before this week (regular contractions: before 37+0)


# Keys follow pregnancy.sections.SYMPTOMS. The WHO danger signs (DOMAIN.md §3), and the signs the week texts
# (content/pregnancy_weeks.py) also send her to the birth unit for: regular contractions before week 37 and
# waters breaking (Helsenorge), sudden swelling of the face or hands (pre-eclampsia, NHI.no). Convulsions are
# not here: they call for 113 (`convulsion_advice`).
DANGER_SIGNS: dict[str, DangerSign] = {
    "bleeding": DangerSign(WHO),
    "fever": DangerSign(WHO),
    "headache": DangerSign(WHO, severe_only=True),
    "visual_disturbance": DangerSign(WHO),
    "early_labour": DangerSign(WHO),
    "vomiting": DangerSign(WHO, severe_only=True),
    "abdominal_pain": DangerSign(WHO, severe_only=True),
    "regular_contractions": DangerSign(PRETERM_LABOUR, before=GestationalAge(37)),
    "waters_breaking": DangerSign(WATERS_BREAKING),
    "sudden_swelling": DangerSign(PRE_ECLAMPSIA),
}


def _danger_sign_names() -> dict[str, str]:
    return {
        "bleeding": _("blødning fra skjeden"),
        "fever": _("feber"),
        "headache": _("kraftig hodepine"),
        "visual_disturbance": _("synsforstyrrelser"),
        "early_labour": _("tegn på for tidlig fødsel"),
        "vomiting": _("kraftige oppkast"),
        "abdominal_pain": _("sterke magesmerter"),
        "regular_contractions": _("regelmessige rier før uke 37"),
        "waters_breaking": _("vannavgang"),
        "sudden_swelling": _("plutselig hevelse i ansiktet eller hendene"),
    }


def _is_danger_sign(reported: Reported) -> bool:
    sign = DANGER_SIGNS.get(reported.key)
    if sign is None or (sign.severe_only and reported.severity != SEVERE):
        return False
    return sign.before is None or reported.ga is None or reported.ga < sign.before


def danger_sign_advice(symptoms: Iterable[Reported]) -> Advice | None:
    """Return CONTACT_NOW when any reported symptom is a danger sign; other symptoms are ignored."""
    found = {r.key for r in symptoms if _is_danger_sign(r)}
    if not found:
        return None
    names = _danger_sign_names()
    keys = [key for key in DANGER_SIGNS if key in found]
    text = _(
        "Du har meldt: %(signs)s. Faresignaler i svangerskapet skal sjekkes med en gang. "
        "Kontakt fødeavdelingen eller legevakten nå."
    )
    sources = "; ".join(dict.fromkeys(DANGER_SIGNS[key].source for key in keys))
    return Advice(Level.CONTACT_NOW, "danger_signs", text % {"signs": ", ".join(names[k] for k in keys)}, sources)


EMERGENCY_NUMBER = "113"  # medisinsk nødtelefon


def convulsion_advice(symptoms: Iterable[Reported]) -> Advice | None:
    """Convulsions (eclampsia, a WHO danger sign): call 113, as the week texts say, not the birth unit."""
    if not any(r.key == "convulsions" for r in symptoms):
        return None
    text = _("Du har meldt kramper. Ved kramper eller bevisstløshet skal du ringe 113 med en gang.")
    return Advice(Level.CONTACT_NOW, "convulsions", text, ECLAMPSIA, phone=EMERGENCY_NUMBER)


def labour_advice(symptoms: Iterable[Reported], birth_unit_name: str, birth_unit_phone: str) -> Advice | None:
    """Regular contractions from week 37 may be labour: ring the birth unit (before 37 they are a danger sign)."""
    term = GestationalAge(37)
    if not any(r.key == "regular_contractions" and r.ga is not None and r.ga >= term for r in symptoms):
        return None
    text = _(
        "Regelmessige rier kan bety at fødselen er i gang. Ring fødeavdelingen, så avtaler dere når du skal komme."
    )
    return Advice(
        Level.CONTACT,
        "labour",
        f"{text} {_how_to_reach(birth_unit_name, birth_unit_phone)}".strip(),
        LABOUR,
        phone=birth_unit_phone,
    )


def itching_advice(symptoms: Iterable[Reported]) -> Advice | None:
    """Itching: most often harmless, but itching without a rash, worst in the palms and soles, may be
    intrahepatic cholestasis of pregnancy, found by a blood test (NGF Veileder i fødselshjelp; NHI.no)."""
    if not any(r.key == "itching" for r in symptoms):
        return None
    text = _(
        "Kløe er vanlig i svangerskapet. Klør det mye, særlig i håndflatene eller under føttene og uten utslett, "
        "skal du kontakte jordmor eller fastlege. En blodprøve kan vise om det er svangerskapskløe med "
        "leverpåvirkning (svangerskapskolestase)."
    )
    return Advice(Level.CONTACT, "itching", text, CHOLESTASIS)


REDUCED_FETAL_MOVEMENTS = "reduced_fetal_movements"
# NGF, Veileder i fødselshjelp, «Lite liv» (version 1.2, 2024): women who have given birth before feel the first
# movements at week 16–18, first-time mothers at 18–20 (Helsenorge: most feel them daily after week 18). Before
# week 16 "less than usual" has no usual to compare with, so it cannot be registered.
MOVEMENTS_FELT_FROM = GestationalAge(16)
# From week 24 the consultations ask about movements (IS-2735, DOMAIN.md §3; the week texts add the advice from
# week 24), and reduced movements send her to the birth unit at once. Before week 24 the guidance, as summarised
# by jordmoren.no from the NGF guideline, is to contact her GP or midwife as soon as she can.
MOVEMENTS_URGENT_FROM = GestationalAge(24)


def movement_concern(ga: GestationalAge | None) -> Level | None:
    """How urgent reduced fetal movements are at this week: at once from week 24, soon from 16, else none."""
    if ga is None or ga >= MOVEMENTS_URGENT_FROM:
        return Level.CONTACT_NOW
    return Level.CONTACT if ga >= MOVEMENTS_FELT_FROM else None


def fetal_movement_advice(symptoms: Iterable[Reported], birth_unit_name: str, birth_unit_phone: str) -> Advice | None:
    """Reduced fetal movements: from week 24 the birth unit at once, do not wait; in week 16–23 the midwife."""
    levels = [movement_concern(r.ga) for r in symptoms if r.key == REDUCED_FETAL_MOVEMENTS]
    level = max((found for found in levels if found is not None), default=None)
    if level is None:
        return None
    if level == Level.CONTACT:
        text = _(
            "Kjenner du mindre liv enn vanlig før uke 24, skal du kontakte jordmor eller fastlege så snart du kan."
        )
        return Advice(Level.CONTACT, "reduced_fetal_movements_early", text, FETAL_MOVEMENTS)
    text = _(
        "Kjenner du mindre liv enn vanlig, skal du kontakte fødeavdelingen med en gang. Ikke vent til neste kontroll."
    )
    return Advice(
        Level.CONTACT_NOW,
        "reduced_fetal_movements",
        f"{text} {_how_to_reach(birth_unit_name, birth_unit_phone)}".strip(),
        FETAL_MOVEMENTS,
        phone=birth_unit_phone,
    )


def _how_to_reach(unit: str, phone: str) -> str:
    # Her card may lack the birth unit or its number; say what we know rather than nothing.
    if unit and phone:
        return _("Ring %(unit)s på %(phone)s.") % {"unit": unit, "phone": phone}
    if phone:
        return _("Ring fødeavdelingen på %(phone)s.") % {"phone": phone}
    if unit:
        return _("Fødeavdelingen din er %(unit)s.") % {"unit": unit}
    return ""


# --- Gestational diabetes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskFactors:
    """Risk groups offered a 75 g OGTT in week 24–28 (DOMAIN.md §3). Age in whole years, BMI before pregnancy."""

    age: int
    first_birth: bool = False  # førstegangsfødende: no earlier birth, whatever earlier pregnancies ended in
    earlier_births: bool = False
    pre_pregnancy_bmi: Number | None = None
    asian_or_african_background: bool = False
    earlier_gdm: bool = False
    earlier_child_over_4500_g: bool = False
    earlier_shoulder_dystocia: bool = False
    earlier_pre_eclampsia: bool = False
    parent_or_sibling_with_diabetes: bool = False
    known_impaired_glucose_tolerance: bool = False

    def reasons(self) -> tuple[str, ...]:
        """The risk groups she belongs to, as stable keys for the page to explain."""
        groups = {
            "first_birth_over_25": self.first_birth and self.age > 25,
            "over_40_with_earlier_births": self.earlier_births and self.age > 40,
            "bmi_over_25": self.pre_pregnancy_bmi is not None and _decimal(self.pre_pregnancy_bmi) > 25,
            "asian_or_african_background": self.asian_or_african_background,
            "earlier_gdm": self.earlier_gdm,
            "earlier_child_over_4500_g": self.earlier_child_over_4500_g,
            "earlier_shoulder_dystocia": self.earlier_shoulder_dystocia,
            "earlier_pre_eclampsia": self.earlier_pre_eclampsia,
            "parent_or_sibling_with_diabetes": self.parent_or_sibling_with_diabetes,
            "known_impaired_glucose_tolerance": self.known_impaired_glucose_tolerance,
        }
        return tuple(key for key, applies in groups.items() if applies)


OGTT_FROM = GestationalAge(24)
OGTT_UNTIL = GestationalAge(28, 6)


def ogtt_offer(risk: RiskFactors, ga: GestationalAge, *, known_diabetes: bool = False) -> Advice | None:
    """Tell a woman in a risk group about the 75 g OGTT: that it will come before week 24, to ask in 24–28.

    Not to a woman who has diabetes already: the test looks for a diabetes she does not know of. Once a result
    is on the card, guidance.advice_for judges it (`ogtt_result`) instead of offering the test again.
    """
    if known_diabetes or not risk.reasons() or ga > OGTT_UNTIL:
        return None
    if ga < OGTT_FROM:
        text = _("Du vil få tilbud om glukosebelastning (75 g) i uke 24–28, fordi du er i en risikogruppe.")
        return Advice(Level.INFO, "ogtt_will_be_offered", text, GUIDELINE)
    text = _("Du skal få tilbud om glukosebelastning (75 g) nå, i uke 24–28. Spør jordmor eller fastlege.")
    return Advice(Level.INFO, "ogtt_offer", text, GUIDELINE)


def ogtt_result(fasting: Number | None, two_hour: Number | None) -> Advice | None:
    """Judge a 75 g OGTT (mmol/L): 5.3 fasting or 9.0 at 2 h → follow-up; 7.0 or 11.1 → referral at once."""
    f = _decimal(fasting) if fasting is not None else None
    h = _decimal(two_hour) if two_hour is not None else None
    # Values between the published bands (6.95, 11.05) fall in the lower band: only ≥7.0 / ≥11.1 are urgent.
    if (f is not None and f >= Decimal("7.0")) or (h is not None and h >= Decimal("11.1")):
        text = _(
            "Svaret på glukosebelastningen skal etter retningslinjen følges opp med en gang. Kontakt fastlegen nå."
        )
        return Advice(Level.CONTACT_NOW, "ogtt_refer", text, GUIDELINE)
    if (f is not None and f >= Decimal("5.3")) or (h is not None and h >= Decimal("9.0")):
        text = _(
            "Resultatet av glukosebelastningen skal etter retningslinjen følges opp. Kontakt jordmor eller fastlege."
        )
        return Advice(Level.CONTACT, "ogtt_follow_up", text, GUIDELINE)
    return None


# --- Fetal heart rate and SF-mål -------------------------------------------------------------------------


# A normal fetal heart rate baseline is 110–160 per minute: FIGO's consensus guidelines on intrapartum fetal
# monitoring (Ayres-de-Campos et al., Int J Gynecol Obstet 2015;131:13–24). The Swedish CTG guidelines (SFOG
# 2016, ctgutbildning.se) were adapted to it: 110–160 in labour, 120–160 on an antenatal CTG before week 34. That
# the Norwegian guideline (NGF, Veileder i fødselshjelp) uses the same range is likely but *unverified*. Neither
# IS-2735 nor the paper card gives a range for the heart rate counted at a consultation: flagging one count
# outside FIGO's baseline range is our own use of it, a prompt to listen again, not a finding. (The range was
# 100–180 with "WHO" as its source; no WHO source for those numbers was found.)
FETAL_HEART_RATE_NORMAL = (110, 160)


def fetal_heart_rate_flag(bpm: int) -> bool:
    """True when the fetal heart rate is outside FIGO's normal baseline, 110–160 per minute."""
    low, high = FETAL_HEART_RATE_NORMAL
    return not low <= bpm <= high


def sf_flags(measurements: Sequence[tuple[GestationalAge, int]]) -> list[str]:
    """Flags that call for a growth ultrasound (Swedish SF guidance), judged against INTERGROWTH-21st.

    Pass the clinicians' measurements; self-measured values are shown apart and not judged here. Measurements
    outside 16–42 weeks, where the standard has no values, are left out.
    """
    series = sorted((ga, cm) for ga, cm in measurements if 16 <= ga.as_decimal_weeks() <= 42)
    if not series:
        return []
    z = [intergrowth.z_score(ga.as_decimal_weeks(), cm) for ga, cm in series]
    flags = []
    if z[0] < -2:
        flags.append("first_below_2sd")
    if sum(1 for value in z if value < -2) >= 2:
        flags.append("two_below_2sd")
    if _no_increase_over_three_weeks(series):
        flags.append("no_increase_3_weeks")
    # "Her own expected curve" is not defined in the guidance we have: we carry her first measurement's
    # z-score forward along the INTERGROWTH-21st curve, so growth along a steady centile never flags.
    if any(cm - intergrowth.centile_cm(ga.as_decimal_weeks(), z[0]) >= 3 for ga, cm in series[1:]):
        flags.append("above_own_curve_3cm")
    return flags


def _no_increase_over_three_weeks(series: Sequence[tuple[GestationalAge, int]]) -> bool:
    # Any later value at or below an earlier one taken 21 days or more before it: flat or falling growth.
    return any(
        later_cm <= cm and later.total_days - ga.total_days >= 21
        for i, (ga, cm) in enumerate(series)
        for later, later_cm in series[i + 1 :]
    )


def sf_advice(flags: Sequence[str]) -> Advice | None:
    """Turn SF-mål flags into advice: talk to the midwife about a growth ultrasound (and the OGTT when high)."""
    if not flags:
        return None
    text = _("SF-målet bør følges opp med ultralyd av barnets vekst. Snakk med jordmor eller fastlege.")
    if "above_own_curve_3cm" in flags:
        text += " " + _("Spør også om glukosebelastning.")
    return Advice(Level.CONTACT, "sf_follow_up", text, SF_GUIDANCE)
