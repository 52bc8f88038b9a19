"""The open figures as a FHIR R4 `MeasureReport` (type `summary`; https://hl7.org/fhir/R4/measurereport.html).

One report per month: `period` is the month, `measure` our canonical url for the portal's monthly usage figures
(`MEASURE`, in our own `urn:helseportal:` namespace like our code systems; no Measure resource is published yet).
Each table row is a `group` (coded `urn:helseportal:stats-figure`, `<table>:<row>`) with one `initial-population`
whose `count` is the figure; the per-municipality table becomes each event's `stratifier`, one `stratum` per
municipality (never a unit).

A suppressed cell has no `count`: FHIR's Data Absent Reason extension on the primitive (`_count`) says why, with
the code `masked`, "the information is not available because of privacy concerns"
(https://hl7.org/fhir/R4/extension-data-absent-reason.html, https://hl7.org/fhir/R4/codesystem-data-absent-reason.html
— the extension may sit on any element; a primitive without a value carries it in its `_name` JSON twin,
https://hl7.org/fhir/R4/json.html#primitive); the group and its population stay, so the cell keeps its place.
Built as plain JSON (ARCHITECTURE: no pydantic on the way out); the tests validate it with `fhir.resources`.
"""

from __future__ import annotations

from django.utils import timezone

from helseportal.fhir import JSON
from helseportal.fhir.codes import LOCAL, coding, in_bokmal, instant, terminology
from helseportal.stats.public import Figure, Figures, Table

MEASURE = "urn:helseportal:measure:monthly-usage"
FIGURE_SYSTEM = LOCAL + "stats-figure"
MUNICIPALITY_SYSTEM = LOCAL + "municipality"  # SSB's kommunenummer, four digits
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
MASKED = {"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "masked"}]}


def report_id(figures: Figures) -> str:
    return f"usage-{figures.month:%Y-%m}"


@in_bokmal
def measure_report(figures: Figures) -> JSON:
    groups: list[JSON] = []
    for key in ("views", "transactions", "youth"):
        table = figures.table(key)
        for row in table.rows:
            code = f"{key}:{row.code or 'total'}"
            groups.append(_group(code, f"{table.title}: {row.label}", row.figures[0]))
    _add_strata(groups, figures.table("municipalities"))
    return {
        "resourceType": "MeasureReport",
        "id": report_id(figures),
        "status": "complete",
        "type": "summary",
        "measure": MEASURE,
        "date": instant(timezone.now()),
        "period": {"start": figures.month.isoformat(), "end": figures.last_day.isoformat()},
        "group": groups,
    }


def _population(figure: Figure) -> JSON:
    found: JSON = {"code": terminology("measure-population", "initial-population")}
    if figure.value is None:
        found["_count"] = MASKED
    else:
        found["count"] = figure.value
    return found


def _group(code: str, display: str, figure: Figure) -> JSON:
    return {
        "code": {"coding": [coding(FIGURE_SYSTEM, code, display)], "text": display},
        "population": [_population(figure)],
    }


def _add_strata(groups: list[JSON], table: Table) -> None:
    """Each event's municipalities as the stratifier of its `transactions:<event>` group."""
    by_code = {g["code"]["coding"][0]["code"]: g for g in groups}
    for column, (event, _label) in enumerate(table.columns):
        group = by_code.get(f"transactions:{event}")
        strata = [
            {
                "value": {"coding": [coding(MUNICIPALITY_SYSTEM, row.code)], "text": row.label},
                "population": [_population(row.figures[column])],
            }
            for row in table.rows
            if not row.total
        ]
        if group is None or not strata:
            continue
        group["stratifier"] = [{"code": [{"text": "Kommune"}], "stratum": strata}]
