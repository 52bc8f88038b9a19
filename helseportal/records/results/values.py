"""What one received result says, read for the page: its analysis, value, unit, reference range and flag.

Pure functions of the stored JSON (FHIR R4 Observation and DiagnosticReport as the source sent them). A value
outside the reference range is marked with text: the source's own `interpretation` first (the lab's judgement,
HL7 v3 ObservationInterpretation), else the first `referenceRange` compared with the value. Nothing is inferred
where the source says nothing.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helseportal.fhir import JSON

INTERPRETATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
# The interpretation codes a lab sets on a value out of the ordinary (HL7 v3 ObservationInterpretation, FHIR R4
# `observation-interpretation`), as text; "N" (normal) and the codes not listed here give no flag of their own.
INTERPRETATIONS: dict[str, Promise] = {
    "H": gettext_lazy("Over referanseområdet"),
    "L": gettext_lazy("Under referanseområdet"),
    "HH": gettext_lazy("Kritisk høy verdi, langt over referanseområdet"),
    "LL": gettext_lazy("Kritisk lav verdi, langt under referanseområdet"),
    "HU": gettext_lazy("Betydelig over referanseområdet"),
    "LU": gettext_lazy("Betydelig under referanseområdet"),
    "A": gettext_lazy("Unormal verdi"),
    "AA": gettext_lazy("Kritisk unormal verdi"),
}
ABOVE, BELOW = "H", "L"
# A result that is not yet final, or no longer valid (FHIR R4 observation-status); final and amended say nothing here
# (a correction shows «Endret <dato>», `records.pages.changed_on`).
STATUSES: dict[str, Promise] = {
    "registered": gettext_lazy("Registrert, ikke ferdig analysert"),
    "preliminary": gettext_lazy("Foreløpig svar"),
    "partial": gettext_lazy("Delsvar"),
    "cancelled": gettext_lazy("Kansellert"),
}


@dataclass(frozen=True)
class Reading:
    """One result as the page shows it."""

    name: str
    value: str  # as the source wrote it, with a decimal comma ("12,4"), or a text or coded answer
    number: float | None  # for the chart; None for an answer that is not a quantity
    unit: str
    low: float | None
    high: float | None
    range_text: str
    flag: str  # "" when nothing is out of the ordinary
    status: str  # "" for a final result
    conclusion: str = ""  # a report's conclusion
    notes: tuple[str, ...] = ()


def read(resource: JSON) -> Reading:
    """The reading of an Observation or a DiagnosticReport."""
    number, value, unit = _value(resource)
    low, high, range_text = _range(resource, unit)
    return Reading(
        name=name(resource),
        value=value,
        number=number,
        unit=unit,
        low=low,
        high=high,
        range_text=range_text,
        flag=_flag(resource, number, low, high),
        status=str(STATUSES.get(str(resource.get("status")), "")),
        conclusion=str(resource.get("conclusion") or "")[:2000],
        notes=tuple(
            str(n.get("text"))[:2000] for n in _list(resource.get("note")) if isinstance(n, dict) and n.get("text")
        ),
    )


def name(resource: JSON) -> str:
    """The analysis's name as the source gave it: `code.text`, else the first coding's display, else its code."""
    code = resource.get("code")
    if not isinstance(code, dict):
        return _("Ukjent analyse")
    if code.get("text"):
        return str(code["text"])[:200]
    for coding in _list(code.get("coding")):
        if isinstance(coding, dict) and (coding.get("display") or coding.get("code")):
            return str(coding.get("display") or coding.get("code"))[:200]
    return _("Ukjent analyse")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def decimal_text(value: Any) -> str:
    """A number as the source wrote it, with the Norwegian decimal comma (31.0 stays 31,0)."""
    return str(value).replace(".", ",")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return float(number) if number.is_finite() else None


def _value(resource: JSON) -> tuple[float | None, str, str]:
    quantity = resource.get("valueQuantity")
    if isinstance(quantity, dict):
        number = _number(quantity.get("value"))
        unit = str(quantity.get("unit") or quantity.get("code") or "")[:40]
        comparator = str(quantity.get("comparator") or "")[:2]
        return number, f"{comparator}{decimal_text(quantity.get('value', ''))}", unit
    concept = resource.get("valueCodeableConcept")
    if isinstance(concept, dict):
        return None, name({"code": concept}), ""
    for element in ("valueString", "valueInteger", "valueBoolean"):
        if element in resource:
            found = resource[element]
            text = (_("Ja") if found else _("Nei")) if isinstance(found, bool) else decimal_text(found)
            return (_number(found) if element == "valueInteger" else None), str(text)[:2000], ""
    return None, "", ""


def _range(resource: JSON, unit: str) -> tuple[float | None, float | None, str]:
    first = next((r for r in _list(resource.get("referenceRange")) if isinstance(r, dict)), None)
    if first is None:
        return None, None, ""
    low: dict[str, Any] = first["low"] if isinstance(first.get("low"), dict) else {}
    high: dict[str, Any] = first["high"] if isinstance(first.get("high"), dict) else {}
    low_n, high_n = _number(low.get("value")), _number(high.get("value"))
    if first.get("text"):
        text = str(first["text"])[:200]
    elif low_n is not None and high_n is not None:
        text = f"{decimal_text(low['value'])}–{decimal_text(high['value'])}"
    elif low_n is not None:
        text = _("over %(value)s") % {"value": decimal_text(low["value"])}
    elif high_n is not None:
        text = _("under %(value)s") % {"value": decimal_text(high["value"])}
    else:
        return None, None, ""
    return low_n, high_n, f"{text} {unit}".strip() if not first.get("text") else text


def _flag(resource: JSON, number: float | None, low: float | None, high: float | None) -> str:
    for concept in _list(resource.get("interpretation")):
        for coding in _list(concept.get("coding") if isinstance(concept, dict) else None):
            code = coding.get("code") if isinstance(coding, dict) else None
            if code in INTERPRETATIONS:
                return str(INTERPRETATIONS[code])
            if code == "N":  # the lab calls it normal: its judgement stands
                return ""
    if number is not None and high is not None and number > high:
        return str(INTERPRETATIONS[ABOVE])
    if number is not None and low is not None and number < low:
        return str(INTERPRETATIONS[BELOW])
    return ""


def result_ids(report: JSON) -> list[int]:
    """The Observations a DiagnosticReport names in `result`, as our keys (`Observation/17`), in its order."""
    found = []
    for reference in _list(report.get("result")):
        target = str(reference.get("reference") or "") if isinstance(reference, dict) else ""
        kind, _slash, key = target.partition("/")
        if kind == "Observation" and key.isdigit() and len(key) < 19:
            found.append(int(key))
    return found
