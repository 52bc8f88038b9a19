"""Screening: the glucose tolerance test for gestational diabetes, the fetal heart rate, and the SF-mål against
INTERGROWTH-21st. Each rule cites its source."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from helseportal.pregnancy import intergrowth
from helseportal.pregnancy.advice.base import GUIDELINE, SF_GUIDANCE, Advice, Level, Number, as_decimal
from helseportal.pregnancy.dates import GestationalAge

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
            "bmi_over_25": self.pre_pregnancy_bmi is not None and as_decimal(self.pre_pregnancy_bmi) > 25,
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
    f = as_decimal(fasting) if fasting is not None else None
    h = as_decimal(two_hour) if two_hour is not None else None
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
