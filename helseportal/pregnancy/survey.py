"""Kartlegging før første svangerskapskontroll on the forms engine (issue 17, item 5).

The survey is a shipped Questionnaire (`forms/data/svangerskap_kartlegging.json`, canonical URL `SURVEY_URL`, the
one the card's own QuestionnaireResponse has always named). Its items carry the card's field keys as linkIds
(`<section>.<field>`: `mother.occupation`; the form's own questions `risk.*`, `other.text`, `urine.*`) and the
card's choice codes (system `urn:helseportal:pregnancy-answer`), so the answers map back one to one.

The engine fills it in (steps, draft, summary, receipt) in the card's service area, so the card's age rules hold
(a girl of 12 or more fills in her own; `access.policy`). This app registers at `ready()` (`fhir.questionnaires`):
- `open_to`: the survey is open while she has an ongoing pregnancy and has not sent the first form;
- `prefill`: a draft of the first form she saved before the survey moved onto the engine starts her draft there
  (nothing she typed is lost);
- `on_submit`: the answers land in the card as before: the sent first form (`FirstConsultationForm`, with the
  survey's `url|version`) and the sections as self-reported (`services.save_first_form`), in the engine's
  transaction;
- `takes`: the card takes the response. Its `QuestionnaireResponse/<id>` is the one record: the midwife reads it on
  the card, the record systems of the units she shares the card with read and search it (and their subscribers are
  told, once), and sending is one event in her log (`pregnancy:form:submitted`). The engine's copy is hers only (her
  sent forms, the receipt, the PDF): the unit the survey is imported for sees none of it unless she shares with it.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, Refused
from helseportal.fhir import JSON, codes, questionnaires
from helseportal.pregnancy import queries, services
from helseportal.pregnancy.models import FirstConsultationForm, FormStatus, Pregnancy, PregnancyStatus

SURVEY_URL = codes.LOCAL + "questionnaire:first-consultation"
SHIPPED_NAME = "svangerskap_kartlegging"  # forms/data/<name>.json
# Who receives her answers, as her receipt says "Sendt til …": not the unit the survey is imported for.
RECEIVER = gettext_lazy("jordmor og lege som helsekortet er delt med")


def _value(answer: JSON) -> Any:
    """An answer element as the card's JSON keeps it: a choice by its code, a date as ISO text, a decimal as text."""
    for key, value in answer.items():
        if key == "valueCoding":
            return value.get("code")
        if key == "valueDecimal":
            return str(value)
        if key.startswith("value"):
            return value
    return None


def answers_of(response: JSON) -> dict[str, dict[str, Any]]:
    """The response's answers keyed as the card's first form keeps them: `{"mother": {"occupation": "Lærer"}}`."""
    found: dict[str, dict[str, Any]] = {}

    def walk(items: list[JSON]) -> None:
        for item in items:
            section, dot, field = str(item.get("linkId", "")).partition(".")
            answers = item.get("answer") or []
            if dot and answers and (value := _value(answers[0])) not in (None, ""):
                found.setdefault(section, {})[field] = value
            walk(item.get("item") or [])

    walk(response.get("item") or [])
    return found


def _ongoing_of(actor: Actor) -> Pregnancy | None:
    """Her ongoing pregnancy, without a read of the card: only whether the survey is open to her is asked."""
    if actor.subject_id is None:
        return None
    return Pregnancy.objects.filter(person_id=actor.subject_id, status=PregnancyStatus.ONGOING).first()


def open_to(actor: Actor) -> bool:
    """Open while she has an ongoing pregnancy whose first form is not sent (the engine asks access for the area)."""
    pregnancy = _ongoing_of(actor)
    return pregnancy is not None and not sent(pregnancy)


def sent(pregnancy: Pregnancy) -> bool:
    return FirstConsultationForm.objects.filter(pregnancy=pregnancy, status=FormStatus.SUBMITTED).exists()


def old_draft(actor: Actor) -> dict[str, Any]:
    """Her draft of the hand-coded first form, if she has one, as plain values by the survey's linkIds."""
    pregnancy = _ongoing_of(actor)
    draft = (
        FirstConsultationForm.objects.filter(pregnancy=pregnancy, status=FormStatus.DRAFT).first()
        if pregnancy is not None
        else None
    )
    if draft is None:
        return {}
    answers = draft.answers if isinstance(draft.answers, dict) else {}
    return {
        f"{section}.{field}": value
        for section, values in answers.items()
        if isinstance(values, dict)
        for field, value in values.items()
    }


def on_submit(actor: Actor, response: JSON) -> None:
    """The sent survey into the card: the first form as sent, its answers into the sections as self-reported."""
    pregnancy = queries.ongoing(actor)
    try:
        services.save_first_form(
            actor, pregnancy, answers_of(response), submit=True, questionnaire=str(response.get("questionnaire", ""))
        )
    except Refused as refusal:
        raise Invalid(refusal.message or _("Skjemaet er allerede sendt.")) from refusal


def register() -> None:
    questionnaires.register(
        SURVEY_URL, on_submit=on_submit, open_to=open_to, prefill=old_draft, takes=True, receiver=RECEIVER
    )


def survey_page() -> str | None:
    """Where the survey is filled in (the engine's start page); None when no version of it is published."""
    return questionnaires.page_of(SURVEY_URL)
