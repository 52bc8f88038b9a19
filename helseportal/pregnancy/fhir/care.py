"""What was given, planned and named on the card, as FHIR: vaccines (Immunization), anti-D
(MedicationAdministration), the birth plan (CarePlan) and the application for a birth place (ServiceRequest), and
the co-parent (RelatedPerson). The codes and their sources are listed in `fields.py`.
"""

from helseportal.fhir import JSON, codes
from helseportal.pregnancy.fhir.values import (
    ATC,
    authors,
    coded,
    practitioner_reference,
    snomed,
    status_of,
)
from helseportal.pregnancy.models import SectionEntry, Vaccination
from helseportal.pregnancy.sections import APPLICATION_STATUSES, CO_PARENT_RELATIONS

VACCINE_ATC = {"pertussis": "J07AJ", "influenza": "J07BB", "covid19": "J07BX03"}
CO_PARENT_ROLE = {"spouse": "SPS", "cohabitant": "DOMPART", "partner": "SIGOTHR"}
APPLICATION_REQUEST_STATUS = {"not_sent": "draft", "sent": "active", "accepted": "completed", "declined": "revoked"}


# --- Immunization ---------------------------------------------------------------------------------------------


def immunization(v: Vaccination, patient: JSON) -> JSON:
    """A vaccine given in the pregnancy. One she registered herself is not from a primary source: she recalls it."""
    resource: JSON = {
        "resourceType": "Immunization",
        "id": f"vaccination-{v.pk}",
        "status": status_of(v, "completed"),
        "vaccineCode": {"coding": [codes.coding(ATC, VACCINE_ATC[v.vaccine])], "text": v.get_vaccine_display()},
        "patient": patient,
        "occurrenceDateTime": v.date.isoformat(),
        "recorded": codes.instant(v.recorded_at),
        "primarySource": not v.self_reported,
    }
    if v.self_reported:
        resource["reportOrigin"] = codes.terminology("immunization-origin", "recall")
    else:
        resource["performer"] = [{"actor": practitioner_reference(v)}]
    return resource | ({"location": {"display": v.place}} if v.place else {})


# --- Section entries: anti-D, the birth plan and application, the co-parent -------------------------------------


def section_resources(entry: SectionEntry, patient: JSON) -> list[JSON]:
    mappers = {"rhd": (anti_d,), "birth_plan": (birth_plan, birth_place_application), "co_parent": (co_parent,)}
    return [r for mapper in mappers.get(entry.section, ()) if (r := mapper(entry, patient)) is not None]


def anti_d(entry: SectionEntry, patient: JSON) -> JSON | None:
    """Anti-D given (RhD section): the dose in international units on the day; nothing without a day."""
    day = entry.data.get("anti_d_date")
    if not day:
        return None
    resource: JSON = {
        "resourceType": "MedicationAdministration",
        "id": f"section-{entry.pk}-anti-d",
        "status": status_of(entry, "completed"),
        "medicationCodeableConcept": {"coding": [codes.coding(ATC, "J06BB01")], "text": "Anti-D-immunglobulin"},
        "subject": patient,
        "context": {"reference": f"EpisodeOfCare/{entry.pregnancy_id}"},
        "effectiveDateTime": str(day),
        "performer": [{"actor": authors(entry, patient)[0]}],
    }
    dose = entry.data.get("anti_d_dose_iu")
    if dose not in (None, ""):
        resource["dosage"] = {"dose": {"value": int(dose), "unit": "IE", "system": codes.UCUM, "code": "[iU]"}}
    return resource


def birth_plan(entry: SectionEntry, patient: JSON) -> JSON | None:
    """Fødeplan: what she wrote, as a CarePlan's description."""
    text = entry.data.get("plan")
    if not text:
        return None
    return {
        "resourceType": "CarePlan",
        "id": f"section-{entry.pk}-birth-plan",
        "status": status_of(entry, "active"),
        "intent": "plan",
        "category": [snomed("735986004")],
        "title": "Fødeplan",
        "description": str(text),
        "subject": patient,
        "created": codes.instant(entry.recorded_at),
        "author": authors(entry, patient)[0],
    }


def birth_place_application(entry: SectionEntry, patient: JSON) -> JSON | None:
    """Søknad om fødested: the unit she applies to and where the application stands.

    The request's status carries the state (not sent: draft, sent: active, got a place: completed, no place:
    revoked); the note says it in words. `plan`: she intends to give birth there; the unit decides."""
    unit, status = entry.data.get("birth_unit"), entry.data.get("application_status", "")
    if not unit and not status:
        return None
    resource: JSON = {
        "resourceType": "ServiceRequest",
        "id": f"section-{entry.pk}-birth-place",
        "status": status_of(entry, APPLICATION_REQUEST_STATUS.get(status, "unknown")),
        "intent": "plan",
        "code": coded("pregnancy-request", "birth-place-application", "Søknad om fødested"),
        "subject": patient,
        "requester": authors(entry, patient)[0],
    }
    if entry.data.get("applied_on"):
        resource["authoredOn"] = str(entry.data["applied_on"])
    if unit:
        resource["performer"] = [{"type": "Organization", "display": str(unit)}]
    if status:
        resource["note"] = [{"text": f"Status: {dict(APPLICATION_STATUSES).get(status, status)}"}]
    return resource


def co_parent(entry: SectionEntry, patient: JSON) -> JSON | None:
    """Den andre forelderen as she wrote it: name, phone, and the relation to her. It grants nothing."""
    name, phone, relation = entry.data.get("name"), entry.data.get("phone"), entry.data.get("relationship", "")
    if not name and not phone:
        return None
    relations = [coded("related-person-role", "co-parent", "Den andre forelderen")]
    if relation:
        relation_code = coded("co-parent-relationship", relation, dict(CO_PARENT_RELATIONS).get(relation, relation))
        if relation in CO_PARENT_ROLE:
            relation_code["coding"].append(codes.coding(codes.TERMINOLOGY + "v3-RoleCode", CO_PARENT_ROLE[relation]))
        relations.append(relation_code)
    resource: JSON = {
        "resourceType": "RelatedPerson",
        "id": f"section-{entry.pk}-co-parent",
        "active": not entry.in_error,
        "patient": patient,
        "relationship": relations,
    }
    if name:
        resource["name"] = [{"text": str(name)}]
    if phone:
        resource["telecom"] = [{"system": "phone", "value": str(phone)}]
    return resource
