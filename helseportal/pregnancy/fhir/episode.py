"""The pregnancy as an EpisodeOfCare, and her form before the first consultation as a QuestionnaireResponse.

Ids follow the audit log's resource names (`EpisodeOfCare/<pregnancy>`, `QuestionnaireResponse/<form>`).
"""

import datetime

from helseportal.fhir import JSON, codes
from helseportal.pregnancy.dates import PREGNANCY_DAYS
from helseportal.pregnancy.fhir.values import authors, is_number, number, patient_reference
from helseportal.pregnancy.models import FirstConsultationForm, FormStatus, Pregnancy, PregnancyStatus
from helseportal.pregnancy.sections import FORM_SECTIONS, SECTIONS, Field

QUESTIONNAIRE = codes.LOCAL + "questionnaire:first-consultation"


@codes.in_bokmal
def episode_of_care(pregnancy: Pregnancy) -> JSON:
    """The pregnancy as an episode of care: active while ongoing, finished after birth or loss."""
    start = pregnancy.lmp or pregnancy.due_date - datetime.timedelta(days=PREGNANCY_DAYS)
    period = {"start": start.isoformat()} | ({"end": pregnancy.ended_on.isoformat()} if pregnancy.ended_on else {})
    return {
        "resourceType": "EpisodeOfCare",
        "id": str(pregnancy.pk),
        "status": "active" if pregnancy.status == PregnancyStatus.ONGOING else "finished",
        "type": [{"coding": [codes.local("episode-type", "pregnancy", "Svangerskap")]}],
        "patient": patient_reference(pregnancy.person),
        "period": period,
    }


@codes.in_bokmal
def questionnaire_response(form: FirstConsultationForm) -> JSON:
    """Kartlegging før første svangerskapskontroll: one group item per section, one item per answered field."""
    patient = patient_reference(form.person)
    resource: JSON = {
        "resourceType": "QuestionnaireResponse",
        "id": str(form.pk),
        "questionnaire": form.questionnaire or QUESTIONNAIRE,  # url|version on the survey; the url alone before it
        "status": "completed" if form.status == FormStatus.SUBMITTED else "in-progress",
        "subject": patient,
        "authored": codes.instant(form.submitted_at or form.recorded_at),
        "author": authors(form, patient)[0],
        "source": patient,
    }
    groups = [group for key, answers in form.answers.items() if (group := answer_group(key, answers))]
    return resource | ({"item": groups} if groups else {})


def answer_group(key: str, answers: object) -> JSON | None:
    """A section's answers; keys that are not card sections (the form's own questions) carry no text."""
    if not isinstance(answers, dict):
        return None
    section = SECTIONS.get(key) or FORM_SECTIONS.get(key)  # the form's own risk questions have definitions too
    fields = {f.key: f for f in section.fields} if section else {}
    items = [answer_item(f"{key}.{name}", fields.get(name), value) for name, value in answers.items() if _given(value)]
    if not items:
        return None
    return {"linkId": key} | ({"text": str(section.title)} if section else {}) | {"item": items}


def answer_item(link_id: str, field: Field | None, value: object) -> JSON:
    text = {"text": str(field.label)} if field else {}
    return {"linkId": link_id} | text | {"answer": [answer_value(field, value)]}


def answer_value(field: Field | None, value: object) -> JSON:
    """The answer typed by the field's kind, or by the value itself for the form's own questions."""
    kind = field.kind if field else _kind_of(value)
    if kind == "choice" and field:
        return {
            "valueCoding": codes.local("pregnancy-answer", str(value), str(dict(field.choices).get(str(value), value)))
        }
    if kind == "bool":
        return {"valueBoolean": value is True or str(value).lower() in ("true", "yes", "on", "1")}
    if kind == "int" and is_number(value) and float(number(value)).is_integer():
        return {"valueInteger": int(number(value))}
    if kind == "decimal" and is_number(value):
        return {"valueDecimal": number(value)}
    if kind == "date" and _is_date(value):
        return {"valueDate": str(value)}
    return {"valueString": str(value)}


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "decimal"
    return "date" if _is_date(value) else "text"


def _is_date(value: object) -> bool:
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return False
    return len(str(value)) == 10


def _given(value: object) -> bool:
    return value not in (None, "", [], {})
