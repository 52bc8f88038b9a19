"""Advice from the guidelines, never a diagnosis: what the woman should do, and whom to contact, when.

Every rule cites its source (DOMAIN.md §3). The texts tell her what the guideline says to do; they never say
what she has ("you have pre-eclampsia"): that is for the midwife or doctor to find out.

- `base`: a piece of advice (`Advice`, its `Level`), the sources, a reported symptom (`Reported`);
- `signs`: blood pressure, danger signs, convulsions, labour, itching, reduced fetal movements;
- `screening`: the glucose tolerance test, the fetal heart rate, the SF-mål.
"""

from helseportal.pregnancy.advice.base import Advice, Level, Reported
from helseportal.pregnancy.advice.screening import (
    FETAL_HEART_RATE_NORMAL,
    OGTT_FROM,
    OGTT_UNTIL,
    RiskFactors,
    fetal_heart_rate_flag,
    ogtt_offer,
    ogtt_result,
    sf_advice,
    sf_flags,
)
from helseportal.pregnancy.advice.signs import (
    DANGER_SIGNS,
    MOVEMENTS_FELT_FROM,
    MOVEMENTS_URGENT_FROM,
    REDUCED_FETAL_MOVEMENTS,
    blood_pressure_advice,
    convulsion_advice,
    danger_sign_advice,
    fetal_movement_advice,
    is_high,
    is_severe,
    itching_advice,
    labour_advice,
    movement_concern,
)

__all__ = [
    "DANGER_SIGNS",
    "FETAL_HEART_RATE_NORMAL",
    "MOVEMENTS_FELT_FROM",
    "MOVEMENTS_URGENT_FROM",
    "OGTT_FROM",
    "OGTT_UNTIL",
    "REDUCED_FETAL_MOVEMENTS",
    "Advice",
    "Level",
    "Reported",
    "RiskFactors",
    "blood_pressure_advice",
    "convulsion_advice",
    "danger_sign_advice",
    "fetal_heart_rate_flag",
    "fetal_movement_advice",
    "is_high",
    "is_severe",
    "itching_advice",
    "labour_advice",
    "movement_concern",
    "ogtt_offer",
    "ogtt_result",
    "sf_advice",
    "sf_flags",
]
