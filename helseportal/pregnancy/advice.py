"""Advice from the guidelines, never a diagnosis: what the woman should do, and whom to contact, when.

Every rule cites its source (DOMAIN.md §3). The texts tell her what the guideline says to do; they never say
what she has ("you have pre-eclampsia"): that is for the midwife or doctor to find out.
"""

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from helseportal.pregnancy import intergrowth
from helseportal.pregnancy.dates import GestationalAge

GUIDELINE = "Helsedirektoratet: Nasjonal faglig retningslinje for svangerskapsomsorgen (IS-2735)"
WHO = "WHO: danger signs in pregnancy"
SF_GUIDANCE = "Kunskapsstöd för vårdgivare (Sverige): SF-mått; referanse INTERGROWTH-21st"

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
    phone: str = ""


def _decimal(value: Number) -> Decimal:
    # str() first: Decimal(5.3) is 5.2999…, which would slip under a 5.3 threshold.
    return value if isinstance(value, Decimal) else Decimal(str(value))


# --- Blood pressure --------------------------------------------------------------------------------------


def _is_high(systolic: int, diastolic: int) -> bool:
    return systolic >= 140 or diastolic >= 90


def _is_severe(systolic: int, diastolic: int) -> bool:
    return systolic >= 160 or diastolic >= 110


def blood_pressure_advice(readings: Sequence[tuple[int, int]]) -> Advice | None:
    """Judge her recent (systolic, diastolic) readings: ≥140/90 twice → contact; ≥160/110 once → at once."""
    if any(_is_severe(s, d) for s, d in readings):
        text = _("Blodtrykket er 160/110 eller høyere. Kontakt fødeavdelingen, fastlegen eller legevakten nå.")
        return Advice(Level.CONTACT_NOW, "bp_severe", text, GUIDELINE)
    high = sum(1 for s, d in readings if _is_high(s, d))
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
# WHO danger signs (DOMAIN.md §3). Keys follow pregnancy.sections.SYMPTOMS where it has them. The value says
# whether only the severe form counts: a mild headache is not a danger sign, any bleeding is.
DANGER_SIGNS: dict[str, bool] = {
    "bleeding": False,
    "convulsions": False,
    "fever": False,
    "headache": True,
    "visual_disturbance": False,
    "early_labour": False,
    "vomiting": True,
    "abdominal_pain": True,
}


def _danger_sign_names() -> dict[str, str]:
    return {
        "bleeding": _("blødning fra skjeden"),
        "convulsions": _("kramper"),
        "fever": _("feber"),
        "headache": _("kraftig hodepine"),
        "visual_disturbance": _("synsforstyrrelser"),
        "early_labour": _("tegn på for tidlig fødsel"),
        "vomiting": _("kraftige oppkast"),
        "abdominal_pain": _("sterke magesmerter"),
    }


def danger_sign_advice(symptoms: Iterable[tuple[str, str]]) -> Advice | None:
    """Return CONTACT_NOW when any (key, severity) pair is a WHO danger sign; other symptoms are ignored."""
    found = {key for key, severity in symptoms if key in DANGER_SIGNS and (severity == SEVERE or not DANGER_SIGNS[key])}
    if not found:
        return None
    names = _danger_sign_names()
    signs = ", ".join(names[key] for key in DANGER_SIGNS if key in found)
    text = _(
        "Du har meldt: %(signs)s. Faresignaler i svangerskapet skal sjekkes med en gang. "
        "Kontakt fødeavdelingen eller legevakten nå."
    )
    return Advice(Level.CONTACT_NOW, "danger_signs", text % {"signs": signs}, WHO)


REDUCED_FETAL_MOVEMENTS = "reduced_fetal_movements"


def fetal_movement_advice(symptom_keys: Iterable[str], birth_unit_name: str, birth_unit_phone: str) -> Advice | None:
    """Reduced fetal movements: contact the birth unit at once, do not wait for the next visit (IS-2735)."""
    if REDUCED_FETAL_MOVEMENTS not in set(symptom_keys):
        return None
    text = _(
        "Kjenner du mindre liv enn vanlig, skal du kontakte fødeavdelingen med en gang. Ikke vent til neste kontroll."
    )
    return Advice(
        Level.CONTACT_NOW,
        "reduced_fetal_movements",
        f"{text} {_how_to_reach(birth_unit_name, birth_unit_phone)}".strip(),
        GUIDELINE,
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
    first_pregnancy: bool = False
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
            "first_pregnancy_over_25": self.first_pregnancy and self.age > 25,
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


def ogtt_offer(risk: RiskFactors, ga: GestationalAge) -> Advice | None:
    """Tell a woman in a risk group about the 75 g OGTT: that it will come before week 24, to ask in 24–28."""
    if not risk.reasons() or ga > OGTT_UNTIL:
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


def fetal_heart_rate_flag(bpm: int) -> bool:
    """True when the fetal heart rate is outside 100–180 per minute (WHO)."""
    return not 100 <= bpm <= 180


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
