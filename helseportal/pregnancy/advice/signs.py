"""Signs to act on: blood pressure, the danger signs among her symptoms, convulsions, labour, itching, and
reduced fetal movements. Each rule cites its source."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from helseportal.pregnancy.advice.base import (
    CHOLESTASIS,
    ECLAMPSIA,
    FETAL_MOVEMENTS,
    GUIDELINE,
    LABOUR,
    PRE_ECLAMPSIA,
    PRETERM_LABOUR,
    WATERS_BREAKING,
    WHO,
    Advice,
    Level,
    Reported,
)
from helseportal.pregnancy.dates import GestationalAge

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
