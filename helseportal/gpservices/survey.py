"""The e-consultation on the forms engine (issue 12 item 6): the Questionnaire and how a sent one reads as a message.

The form is shipped (`forms/data/fastlege_e_konsultasjon.json`, canonical URL `E_CONSULTATION_URL`) and imported
for each GP office that offers the service; the office may publish new versions of it like any unit's form
(docs/forms.md, "Publishing"). `services.register` tells the engine (`fhir.questionnaires`) that this app owns it:
it is open only at her GP office while the office offers it, and a sent one becomes a thread in Meldinger, where the
office answers (`services.e_consultation_sent`).
"""

import base64
import binascii

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy

from helseportal.fhir import JSON, codes

E_CONSULTATION_URL = codes.LOCAL + "questionnaire:e-konsultasjon"
SHIPPED_NAME = "fastlege_e_konsultasjon"  # forms/data/<name>.json
RECIPIENT = codes.LOCAL + "forms:recipient"  # the engine's extension naming the unit (forms.services.RECIPIENT)
SUBJECT_LINK_ID = "overskrift"  # the answer that becomes the thread's subject
RECEIVER = gettext_lazy("fastlegekontoret ditt, i Meldinger")


def recipient_orgnr(response: JSON) -> str:
    for extension in response.get("extension") or []:
        if extension.get("url") == RECIPIENT:
            return str(((extension.get("valueReference") or {}).get("identifier") or {}).get("value") or "")
    return ""


def _shown(answer: JSON) -> str:
    for key, value in answer.items():
        if key == "valueCoding":
            return str(value.get("display") or value.get("code") or "")
        if key == "valueBoolean":
            return "Ja" if value else "Nei"  # the office reads the message in bokmål, as the form's texts
        if key == "valueAttachment":
            return str(value.get("title") or "vedlegg")
        if key.startswith("value"):
            return str(value)
    return ""


def lines(response: JSON) -> list[str]:
    """The sent answers as "question: answer" lines, in the form's order (groups as headings)."""
    found: list[str] = []

    def walk(items: list[JSON]) -> None:
        for item in items:
            answers = [_shown(answer) for answer in item.get("answer") or []]
            if answers:
                found.append(f"{item.get('text') or item.get('linkId')}: {', '.join(answers)}")
            elif item.get("item") and item.get("text"):
                found.append(f"\n{item['text']}")
            walk(item.get("item") or [])

    walk(response.get("item") or [])
    return [line for line in found if line.strip()]


def subject_of(response: JSON) -> str:
    def walk(items: list[JSON]) -> str:
        for item in items:
            if item.get("linkId") == SUBJECT_LINK_ID and item.get("answer"):
                return _shown(item["answer"][0])
            found = walk(item.get("item") or [])
            if found:
                return found
        return ""

    return walk(response.get("item") or [])


def attachments(response: JSON) -> list[SimpleUploadedFile]:
    """The attached files, as uploads for Meldinger (which checks them again: type and size)."""
    found: list[SimpleUploadedFile] = []

    def walk(items: list[JSON]) -> None:
        for item in items:
            for answer in item.get("answer") or []:
                attachment = answer.get("valueAttachment")
                if attachment and attachment.get("data"):
                    try:
                        content = base64.b64decode(attachment["data"], validate=True)
                    except (binascii.Error, ValueError):
                        continue
                    name = str(attachment.get("title") or "vedlegg")
                    found.append(SimpleUploadedFile(name, content, str(attachment.get("contentType") or "")))
            walk(item.get("item") or [])

    walk(response.get("item") or [])
    return found
