"""Resources shaped like the FHIR R4 specification's published examples, for every type the API serves: accepted and
read back equal in meaning, or refused with an OperationOutcome, never a server error (issue 10, "What it must show").

Each example below is a minimal faithful copy of the published example (https://hl7.org/fhir/R4/<name>.html: its
elements and values as published, a few left out and the narratives shortened), written by hand. `adapted` is the same
resource changed only where the portal needs it: the patient, practitioner and unit named by their Norwegian
identifiers (our demo personas), a business `identifier` where the portal keeps one row per identifier, times in
the future where the portal refuses a past one, and a Subscription `criteria` we notify about. `spec` is the
example as published, with its foreign references (`Patient/example`).

The caller is a record system of the GP office (a SMART Backend Services client, as its Actor), with every
type's scopes. The values are the examples', not clinical claims.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B import get_fhir_model_class

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import FNR_SYSTEM, HPR_SYSTEM, ORGNR_SYSTEM
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.demo.messaging import load_messaging
from helseportal.fhir import JSON, provider
from helseportal.fhir.testing import ApiClient, api
from helseportal.forms.services import import_form
from helseportal.identity.models import Person, Practitioner
from helseportal.organisations.models import Unit
from helseportal.records.extract import SOURCE_IDENTIFIER_EXTENSION

BASE = "/fhir/R4"
REGISTERED = [rt.name for rt in provider.provided()]
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
HL7 = "http://terminology.hl7.org/CodeSystem/"
EPJ = "urn:oid:2.16.578.1.12.4.1.1.9999"  # the GP office's record system's own identifiers (illustrative)
CREATED = 201


@dataclass(frozen=True)
class Demo:
    kari: Person
    lars: Practitioner
    gp: Unit
    today: datetime.date

    def days_ahead(self, days: int) -> datetime.date:
        return self.today + datetime.timedelta(days=days)


@dataclass(frozen=True)
class Example:
    """One published example: as published (`spec`), as a Norwegian source would send it (`adapted`), what it says
    (`meaning`: equal for the adapted copy and what the API serves), and, for a type the API only serves, the demo
    row whose served resource says what the adapted copy says (`counterpart`)."""

    name: str
    spec: JSON
    adapted: Callable[[Demo], JSON]
    meaning: Callable[[JSON], Any]
    counterpart: Callable[[Demo], str] | None = None


# --- Helpers for the meanings ---------------------------------------------------------------------------------------


def instant(value: str) -> datetime.datetime:
    """A FHIR instant as an aware datetime, to compare moments whatever the offset they are written in."""
    return datetime.datetime.fromisoformat(value)


def codings(concept: JSON | None) -> set[tuple[str, str]]:
    return {(c.get("system", ""), c["code"]) for c in (concept or {}).get("coding", [])}


def identified(reference: JSON | None) -> tuple[str, str] | None:
    """Whom a reference names, by its identifier (system, value): the same person, whatever our key."""
    identifier = (reference or {}).get("identifier")
    return (identifier["system"], identifier["value"]) if identifier else None


def first_identifier(resource: JSON, system: str) -> str:
    return next(i["value"] for i in resource.get("identifier", []) if i.get("system") == system)


def without(resource: JSON, *names: str) -> JSON:
    return {key: value for key, value in resource.items() if key not in names}


def kari_by_number(demo: Demo) -> JSON:
    return {"identifier": {"system": FNR_SYSTEM, "value": demo.kari.pid}, "display": demo.kari.full_name}


# --- appointment-example --------------------------------------------------------------------------------------------

XHTML = '<div xmlns="http://www.w3.org/1999/xhtml">{}</div>'
APPOINTMENT: JSON = {
    "resourceType": "Appointment",
    "id": "example",
    "text": {"status": "generated", "div": XHTML.format("Brian MRI results discussion")},
    "status": "booked",
    "serviceCategory": [
        {"coding": [{"system": "http://example.org/service-category", "code": "gp", "display": "General Practice"}]}
    ],
    "serviceType": [{"coding": [{"code": "52", "display": "General Discussion"}]}],
    "specialty": [{"coding": [{"system": SNOMED, "code": "394814009", "display": "General practice"}]}],
    "appointmentType": {
        "coding": [
            {
                "system": HL7 + "v2-0276",
                "code": "FOLLOWUP",
                "display": "A follow up visit from a previous appointment",
            }
        ]
    },
    "reasonReference": [{"reference": "Condition/example", "display": "Severe burn of left ear"}],
    "priority": 5,
    "description": "Discussion on the results of your recent MRI",
    "start": "2013-12-10T09:00:00Z",
    "end": "2013-12-10T11:00:00Z",
    "created": "2013-10-10",
    "comment": "Further expand on the results of the MRI and determine the next actions that may be appropriate.",
    "basedOn": [{"reference": "ServiceRequest/myringotomy"}],
    "participant": [
        {
            "actor": {"reference": "Patient/example", "display": "Peter James Chalmers"},
            "required": "required",
            "status": "accepted",
        },
        {
            "type": [{"coding": [{"system": HL7 + "v3-ParticipationType", "code": "ATND"}]}],
            "actor": {"reference": "Practitioner/example", "display": "Dr Adam Careful"},
            "required": "required",
            "status": "accepted",
        },
        {
            "actor": {"reference": "Location/1", "display": "South Wing, second floor"},
            "required": "required",
            "status": "accepted",
        },
    ],
}


def appointment_adapted(demo: Demo) -> JSON:
    """Kari by fødselsnummer, GP Lars by HPR-nummer, the record system's identifier, and the same hours of a day
    ahead (the portal refuses to book in the past)."""
    day = demo.days_ahead(30).isoformat()
    patient, doctor, location = APPOINTMENT["participant"]
    return without(APPOINTMENT, "id") | {
        "identifier": [{"system": EPJ, "value": "appointment-example"}],
        "start": f"{day}T09:00:00Z",
        "end": f"{day}T11:00:00Z",
        "participant": [
            patient | {"actor": kari_by_number(demo)},
            doctor
            | {
                "actor": {
                    "identifier": {"system": HPR_SYSTEM, "value": demo.lars.hpr_number},
                    "display": demo.lars.full_name,
                }
            },
            location,
        ],
    }


def appointment_meaning(resource: JSON) -> JSON:
    """The time, its status, the record's identifier, where (the comment and the Location participant's display),
    who (the patient and the practitioner by their national identifiers), the description, the specialty and the
    service types other than our own type code (the other elements, and literal references, are not kept)."""
    people = {identified(p["actor"]) for p in resource["participant"]} - {None}
    places = [p["actor"].get("display") for p in resource["participant"] if "Location" in _kind(p["actor"])]
    ours = "urn:helseportal:appointment-type"
    services = [c for c in resource.get("serviceType", []) if ours not in {system for system, _ in codings(c)}]
    return {
        "identifier": [(i["system"], i["value"]) for i in resource["identifier"]],
        "status": resource["status"],
        "start": instant(resource["start"]),
        "end": instant(resource["end"]),
        "comment": resource["comment"],
        "people": people,
        "places": places,
        "description": resource.get("description"),
        "specialty": resource.get("specialty"),
        "services": services,
    }


def _kind(reference: JSON) -> str:
    return str(reference.get("type") or reference.get("reference", "").split("/")[0])


# --- observation-example (body weight) and observation-example-bloodpressure ---------------------------------------

BODY_WEIGHT: JSON = {
    "resourceType": "Observation",
    "id": "example",
    "text": {"status": "generated", "div": XHTML.format("<p><b>Generated Narrative with Details</b></p>")},
    "status": "final",
    "category": [
        {"coding": [{"system": HL7 + "observation-category", "code": "vital-signs", "display": "Vital Signs"}]}
    ],
    "code": {
        "coding": [
            {"system": LOINC, "code": "29463-7", "display": "Body Weight"},
            {"system": LOINC, "code": "3141-9", "display": "Body weight Measured"},
            {"system": SNOMED, "code": "27113001", "display": "Body weight"},
            {"system": "http://acme.org/devices/clinical-codes", "code": "body-weight", "display": "Body Weight"},
        ]
    },
    "subject": {"reference": "Patient/example"},
    "encounter": {"reference": "Encounter/example"},
    "effectiveDateTime": "2016-03-28",
    "valueQuantity": {"value": 185, "unit": "lbs", "system": UCUM, "code": "[lb_av]"},
}

BLOOD_PRESSURE: JSON = {
    "resourceType": "Observation",
    "id": "blood-pressure",
    "meta": {"profile": ["http://hl7.org/fhir/StructureDefinition/vitalsigns"]},
    "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:uuid:187e0c12-8dd2-67e2-99b2-bf273c878281"}],
    "basedOn": [{"identifier": {"system": "https://acme.org/identifiers", "value": "1234"}}],
    "status": "final",
    "category": [
        {"coding": [{"system": HL7 + "observation-category", "code": "vital-signs", "display": "Vital Signs"}]}
    ],
    "code": {
        "coding": [{"system": LOINC, "code": "85354-9", "display": "Blood pressure panel with all children optional"}],
        "text": "Blood pressure systolic & diastolic",
    },
    "subject": {"reference": "Patient/example"},
    "effectiveDateTime": "2012-09-17",
    "performer": [{"reference": "Practitioner/example"}],
    "interpretation": [
        {
            "coding": [{"system": HL7 + "v3-ObservationInterpretation", "code": "L", "display": "low"}],
            "text": "Below low normal",
        }
    ],
    "bodySite": {"coding": [{"system": SNOMED, "code": "368209003", "display": "Right arm"}]},
    "component": [
        {
            "code": {"coding": [{"system": LOINC, "code": "8480-6", "display": "Systolic blood pressure"}]},
            "valueQuantity": {"value": 107, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"},
            "interpretation": [
                {
                    "coding": [{"system": HL7 + "v3-ObservationInterpretation", "code": "N", "display": "normal"}],
                    "text": "Normal",
                }
            ],
        },
        {
            "code": {"coding": [{"system": LOINC, "code": "8462-4", "display": "Diastolic blood pressure"}]},
            "valueQuantity": {"value": 60, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"},
            "interpretation": [
                {
                    "coding": [{"system": HL7 + "v3-ObservationInterpretation", "code": "L", "display": "low"}],
                    "text": "Below low normal",
                }
            ],
        },
    ],
}


def observation_adapted(example: JSON, value: str) -> Callable[[Demo], JSON]:
    """Kari by fødselsnummer; the body weight example has no identifier of its own, so it gets one."""

    def adapted(demo: Demo) -> JSON:
        identifier = example.get("identifier") or [{"system": EPJ, "value": value}]
        return without(example, "id") | {"identifier": identifier, "subject": kari_by_number(demo)}

    return adapted


def observation_meaning(resource: JSON) -> JSON:
    """Everything it says (the store keeps a result as received) but the server's `id`/`meta` and the patient's
    form: by number when sent, by our key and number when served; the same person."""
    return without(resource, "id", "meta", "subject") | {"patient": identified(resource["subject"])}


# --- subscription-example -------------------------------------------------------------------------------------------

SUBSCRIPTION: JSON = {
    "resourceType": "Subscription",
    "id": "example",
    "status": "requested",
    "contact": [{"system": "phone", "value": "ext 4123"}],
    "end": "2021-01-01T00:00:00Z",
    "reason": "Monitor new neonatal function",
    "criteria": "Observation?code=http://loinc.org|1975-2",
    "channel": {
        "type": "rest-hook",
        "endpoint": "https://biliwatch.com/customers/mount-auburn-miu/on-result",
        "payload": "application/fhir+json",
        "header": ["Authorization: Bearer secret-token-abc-123"],
    },
}


def subscription_adapted(demo: Demo) -> JSON:
    """A criteria we notify about (new appointment requests), and an end in the future."""
    end = f"{demo.today.year + 1}-01-01T00:00:00Z"
    return without(SUBSCRIPTION, "id") | {"criteria": "Appointment?status=proposed", "end": end}


def subscription_meaning(resource: JSON) -> JSON:
    """What it asks for and where it goes. R4: the server sets a requested subscription `active` when it takes it."""
    channel = resource["channel"]
    return {
        "status": "active" if resource["status"] == "requested" else resource["status"],
        "reason": resource["reason"],
        "criteria": resource["criteria"],
        "end": instant(resource["end"]),
        "channel": (channel["type"], channel["endpoint"], channel["payload"], tuple(channel["header"])),
    }


# --- The types the API serves but does not take: patient-example, practitioner-example, organization-example, …

PATIENT: JSON = {
    "resourceType": "Patient",
    "id": "example",
    "identifier": [
        {
            "use": "usual",
            "type": {"coding": [{"system": HL7 + "v2-0203", "code": "MR"}]},
            "system": "urn:oid:1.2.36.146.595.217.0.1",
            "value": "12345",
            "period": {"start": "2001-05-06"},
            "assigner": {"display": "Acme Healthcare"},
        }
    ],
    "active": True,
    "name": [
        {"use": "official", "family": "Chalmers", "given": ["Peter", "James"]},
        {"use": "usual", "given": ["Jim"]},
    ],
    "telecom": [{"system": "phone", "value": "(03) 5555 6473", "use": "work", "rank": 1}],
    "gender": "male",
    "birthDate": "1974-12-25",
    "deceasedBoolean": False,
    "address": [
        {
            "use": "home",
            "type": "both",
            "text": "534 Erewhon St PeasantVille, Rainbow, Vic  3999",
            "line": ["534 Erewhon St"],
            "city": "PleasantVille",
            "district": "Rainbow",
            "state": "Vic",
            "postalCode": "3999",
            "period": {"start": "1974-12-25"},
        }
    ],
    "managingOrganization": {"reference": "Organization/1"},
}


def patient_adapted(demo: Demo) -> JSON:
    kari = demo.kari
    return without(PATIENT, "id", "telecom", "gender", "address") | {
        "identifier": [{"use": "official", "system": FNR_SYSTEM, "value": kari.pid}],
        "name": [{"use": "official", "family": kari.family_name, "given": [kari.given_name]}],
        "birthDate": kari.birth_date.isoformat(),
        "managingOrganization": {"identifier": {"system": ORGNR_SYSTEM, "value": demo.gp.orgnr}},
    }


def patient_meaning(resource: JSON) -> JSON:
    """Who she is; the address only where one is given (her own app: a record system never gets it)."""
    [name] = [n for n in resource["name"] if n.get("use") == "official"]
    return {
        "fnr": first_identifier(resource, FNR_SYSTEM),
        "name": (name["family"], tuple(name["given"])),
        "birthDate": resource["birthDate"],
    }


PRACTITIONER: JSON = {
    "resourceType": "Practitioner",
    "id": "example",
    "identifier": [{"system": "http://www.acme.org/practitioners", "value": "23"}],
    "active": True,
    "name": [{"family": "Careful", "given": ["Adam"], "prefix": ["Dr"]}],
    "address": [
        {"use": "home", "line": ["534 Erewhon St"], "city": "PleasantVille", "state": "Vic", "postalCode": "3999"}
    ],
    "qualification": [
        {
            "identifier": [{"system": "http://example.org/UniversityIdentifier", "value": "12345"}],
            "code": {
                "coding": [{"system": HL7 + "v2-0360/2.7", "code": "BS", "display": "Bachelor of Science"}],
                "text": "Bachelor of Science",
            },
            "period": {"start": "1995"},
            "issuer": {"display": "Example University"},
        }
    ],
}


def practitioner_adapted(demo: Demo) -> JSON:
    lars = demo.lars
    return without(PRACTITIONER, "id", "address") | {
        "identifier": [{"use": "official", "system": HPR_SYSTEM, "value": lars.hpr_number}],
        "name": [{"family": lars.family_name, "given": [lars.given_name]}],
        "qualification": [{"code": {"text": lars.profession}}],
    }


def practitioner_meaning(resource: JSON) -> JSON:
    [name] = resource["name"]
    return {
        "hpr": first_identifier(resource, HPR_SYSTEM),
        "name": (name["family"], tuple(name["given"])),
        "qualification": [q["code"]["text"] for q in resource["qualification"]],
    }


ORGANIZATION: JSON = {
    "resourceType": "Organization",
    "id": "hl7",
    "name": "Health Level Seven International",
    "alias": ["HL7 International"],
    "telecom": [
        {"system": "phone", "value": "(+1) 734-677-7777"},
        {"system": "fax", "value": "(+1) 734-677-6622"},
        {"system": "email", "value": "hq@HL7.org"},
    ],
    "address": [
        {
            "line": ["3300 Washtenaw Avenue, Suite 227"],
            "city": "Ann Arbor",
            "state": "MI",
            "postalCode": "48104",
            "country": "USA",
        }
    ],
    "endpoint": [{"reference": "Endpoint/example"}],
}


def organization_adapted(demo: Demo) -> JSON:
    gp = demo.gp
    return without(ORGANIZATION, "id", "alias", "endpoint") | {
        "identifier": [{"use": "official", "system": ORGNR_SYSTEM, "value": gp.orgnr}],
        "name": gp.shown_name,
        "telecom": [{"system": "phone", "value": gp.phone}],
        "address": [{"line": [gp.street_address], "city": gp.post_place, "postalCode": gp.postcode, "country": "NO"}],
    }


def organization_meaning(resource: JSON) -> JSON:
    [address] = resource["address"]
    return {
        "orgnr": first_identifier(resource, ORGNR_SYSTEM),
        "name": resource["name"],
        "phones": [t["value"] for t in resource["telecom"] if t["system"] == "phone"],
        "address": (tuple(address["line"]), address["postalCode"], address["city"], address["country"]),
    }


HEALTHCARE_SERVICE: JSON = {
    "resourceType": "HealthcareService",
    "id": "example",
    "identifier": [{"system": "http://example.org/shared-ids", "value": "HS-12"}],
    "active": True,
    "providedBy": {"reference": "Organization/f001", "display": "Burgers University Medical Center"},
    "category": [
        {
            "coding": [{"system": HL7 + "service-category", "code": "8", "display": "Counselling"}],
            "text": "Counselling",
        }
    ],
    "type": [
        {"coding": [{"system": SNOMED, "code": "394913002", "display": "Psychotherapy"}]},
        {"coding": [{"system": SNOMED, "code": "394587001", "display": "Psychiatry"}]},
    ],
    "location": [{"reference": "Location/1"}],
    "name": "Consulting psychologists and/or psychology services",
    "comment": (
        "Providing Specialist psychology services to the greater Den Burg area, many years of experience dealing "
        "with PTSD issues"
    ),
    "telecom": [
        {"system": "phone", "value": "(555) silent", "use": "work"},
        {"system": "email", "value": "directaddress@example.com", "use": "work"},
    ],
    "appointmentRequired": False,
    "availableTime": [
        {"daysOfWeek": ["wed"], "allDay": True},
        {"daysOfWeek": ["mon", "tue", "thu", "fri"], "availableStartTime": "08:30:00", "availableEndTime": "05:30:00"},
    ],
    "notAvailable": [
        {"description": "Christmas/Boxing Day", "during": {"start": "2015-12-25", "end": "2015-12-26"}},
        {"description": "New Years Day", "during": {"start": "2016-01-01", "end": "2016-01-01"}},
    ],
    "availabilityExceptions": "Reduced capacity is available during the Christmas period",
}


def healthcare_service_adapted(demo: Demo) -> JSON:
    gp = demo.gp
    return without(HEALTHCARE_SERVICE, "id", "identifier", "location", "comment", "availableTime", "notAvailable") | {
        "providedBy": {"identifier": {"system": ORGNR_SYSTEM, "value": gp.orgnr}, "display": gp.shown_name},
        "name": gp.shown_name,
        "telecom": [{"system": "phone", "value": gp.phone, "use": "work"}],
    }


def healthcare_service_meaning(resource: JSON) -> JSON:
    return {
        "providedBy": identified(resource["providedBy"]),
        "name": resource["name"],
        "phones": [t["value"] for t in resource["telecom"] if t["system"] == "phone"],
    }


COMMUNICATION: JSON = {
    "resourceType": "Communication",
    "id": "example",
    "identifier": [{"type": {"text": "Paging System"}, "system": "urn:oid:1.3.4.5.6.7", "value": "2345678901"}],
    "instantiatesUri": ["http://example.org/hyperkalemia"],
    "partOf": [{"display": "Serum Potassium Observation"}],
    "status": "completed",
    "category": [{"coding": [{"system": "http://acme.org/messagetypes", "code": "Alert"}], "text": "Alert"}],
    "medium": [
        {
            "coding": [{"system": HL7 + "v3-ParticipationMode", "code": "WRITTEN", "display": "written"}],
            "text": "written",
        }
    ],
    "subject": {"reference": "Patient/example"},
    "encounter": {"reference": "Encounter/example"},
    "sent": "2014-12-12T18:01:10-08:00",
    "received": "2014-12-12T18:01:11-08:00",
    "recipient": [{"reference": "Practitioner/example"}],
    "sender": {"reference": "Device/f001"},
    "payload": [
        {"contentString": "Patient 1 has a very high serum potassium value (7.2 mmol/L on 2014-Dec-12 at 5:55 pm)"},
        {"contentReference": {"display": "Serum Potassium Observation"}},
    ],
}


def communication_adapted(demo: Demo) -> JSON:
    lars = {"identifier": {"system": HPR_SYSTEM, "value": demo.lars.hpr_number}}
    return without(COMMUNICATION, "id", "encounter") | {
        "identifier": [{"system": EPJ, "value": "communication-example"}],
        "subject": kari_by_number(demo),
        "recipient": [kari_by_number(demo)],
        "sender": lars,
    }


def communication_meaning(resource: JSON) -> JSON:
    """The record's identifier, its status, to whom and from whom by their national identifiers, and the text (the
    portal's `sent` is when it got the message; a `contentReference` and the other elements are not kept)."""
    return {
        "identifier": [(i["system"], i["value"]) for i in resource["identifier"]],
        "status": resource["status"],
        "subject": identified(resource["subject"]),
        "recipient": [identified(r) for r in resource["recipient"]],
        "sender": identified(resource["sender"]),
        "text": [p["contentString"] for p in resource["payload"] if "contentString" in p],
    }


# The specification's "Abdominal Ultrasound example" (diagnosticreport-example-ultrasound), without its narrative.
DIAGNOSTIC_REPORT: JSON = {
    "resourceType": "DiagnosticReport",
    "id": "ultrasound",
    "status": "final",
    "category": [
        {
            "coding": [
                {"system": SNOMED, "code": "394914008", "display": "Radiology"},
                {"system": HL7 + "v2-0074", "code": "RAD"},
            ]
        }
    ],
    "code": {"coding": [{"system": SNOMED, "code": "45036003", "display": "Ultrasonography of abdomen"}]},
    "subject": {"reference": "Patient/example"},
    "effectiveDateTime": "2012-12-01T12:00:00+01:00",
    "issued": "2012-12-01T12:00:00+01:00",
    "performer": [{"reference": "Practitioner/example"}],
    "media": [
        {
            "comment": "A comment about the image",
            "link": {"reference": "Media/1.2.840.11361907579238403408700.3.1.04.19970327150033"},
        }
    ],
    "conclusion": "Unremarkable study",
}


def diagnostic_report_adapted(demo: Demo) -> JSON:
    """A record system's report (records, Prøvesvar), Kari by number; the example has no identifier, so it gets one.
    Its `media` names an image the API does not hold."""
    identifier = [{"system": EPJ, "value": "diagnosticreport-example-ultrasound"}]
    return without(DIAGNOSTIC_REPORT, "id", "media") | {"identifier": identifier, "subject": kari_by_number(demo)}


# The specification's immunization-example (https://hl7.org/fhir/R4/immunization-example.html), without its narrative
# and education, programme eligibility and funding source.
IMMUNIZATION: JSON = {
    "resourceType": "Immunization",
    "id": "example",
    "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:oid:1.3.6.1.4.1.21367.2005.3.7.1234"}],
    "status": "completed",
    "vaccineCode": {
        "coding": [{"system": "urn:oid:1.2.36.1.2001.1005.17", "code": "FLUVAX"}],
        "text": "Fluvax (Influenza)",
    },
    "patient": {"reference": "Patient/example"},
    "encounter": {"reference": "Encounter/example"},
    "occurrenceDateTime": "2013-01-10",
    "primarySource": True,
    "location": {"reference": "Location/1"},
    "manufacturer": {"reference": "Organization/hl7"},
    "lotNumber": "AAJN11K",
    "expirationDate": "2015-02-15",
    "site": {"coding": [{"system": HL7 + "v3-ActSite", "code": "LA", "display": "left arm"}]},
    "route": {
        "coding": [{"system": HL7 + "v3-RouteOfAdministration", "code": "IM", "display": "Injection, intramuscular"}]
    },
    "doseQuantity": {"value": 5, "system": "http://unitsofmeasure.org", "code": "mg"},
    "note": [{"text": "Notes on adminstration of vaccine"}],
    "reasonCode": [{"coding": [{"system": SNOMED, "code": "429060002"}]}],
    "isSubpotent": True,
}


def immunization_adapted(demo: Demo) -> JSON:
    """A register's vaccination (records, Vaksiner), Kari by number; the encounter, location and manufacturer are
    resources the API does not hold."""
    return without(IMMUNIZATION, "id", "encounter", "location", "manufacturer") | {"patient": kari_by_number(demo)}


def immunization_meaning(resource: JSON) -> JSON:
    """As for a result: everything it says but the server's `id`/`meta` and the patient's form."""
    return without(resource, "id", "meta", "patient") | {"patient": identified(resource["patient"])}


# The specification's servicerequest-example-di (https://hl7.org/fhir/R4/servicerequest-example-di.html), without its
# narrative.
SERVICE_REQUEST: JSON = {
    "resourceType": "ServiceRequest",
    "id": "di",
    "status": "active",
    "intent": "original-order",
    "code": {"coding": [{"system": LOINC, "code": "24627-2"}], "text": "Chest CT"},
    "subject": {"reference": "Patient/dicom"},
    "occurrenceDateTime": "2013-05-08T09:33:27+07:00",
    "requester": {"reference": "Practitioner/example", "display": "Dr. Adam Careful"},
    "reasonCode": [{"text": "Check for metastatic disease"}],
}


def service_request_adapted(demo: Demo) -> JSON:
    """A hospital's referral (records, Henvisninger), Kari by number; the example has no identifier, so it gets one."""
    identifier = [{"system": EPJ, "value": "servicerequest-example-di"}]
    return without(SERVICE_REQUEST, "id") | {"identifier": identifier, "subject": kari_by_number(demo)}


# The specification's medicationrequest0307 (https://hl7.org/fhir/R4/medicationrequest0307.html), without its
# narrative, `meta.tag` and the dosage's additional instruction and as-needed reason.
MEDICATION_REQUEST: JSON = {
    "resourceType": "MedicationRequest",
    "id": "medrx0307",
    "contained": [
        {
            "resourceType": "Medication",
            "id": "med0308",
            "code": {
                "coding": [
                    {"system": "http://hl7.org/fhir/sid/ndc", "code": "16590-619-30", "display": "Percocet tablet"}
                ]
            },
        }
    ],
    "identifier": [{"use": "official", "system": "http://www.bmc.nl/portal/prescriptions", "value": "12345689"}],
    "status": "completed",
    "intent": "order",
    "medicationReference": {"reference": "#med0308"},
    "subject": {"reference": "Patient/pat1", "display": "Donald Duck"},
    "encounter": {"reference": "Encounter/f001", "display": "encounter who leads to this prescription"},
    "authoredOn": "2015-01-15",
    "requester": {"reference": "Practitioner/f007", "display": "Patrick Pump"},
    "dosageInstruction": [
        {
            "sequence": 1,
            "text": "1 tablet every four hours as needed for pain",
            "timing": {"repeat": {"frequency": 1, "period": 4, "periodUnit": "h"}},
            "route": {"coding": [{"system": SNOMED, "code": "26643006", "display": "Oral Route"}]},
        }
    ],
    "dispenseRequest": {
        "validityPeriod": {"start": "2015-01-15", "end": "2016-01-15"},
        "quantity": {"value": 30, "unit": "TAB", "system": HL7 + "v3-orderableDrugForm", "code": "TAB"},
        "expectedSupplyDuration": {"value": 10, "unit": "days", "system": UCUM, "code": "d"},
    },
    "substitution": {
        "allowedBoolean": True,
        "reason": {"coding": [{"system": HL7 + "v3-ActReason", "code": "FP", "display": "formulary policy"}]},
    },
}


def medication_request_adapted(demo: Demo) -> JSON:
    """A GP's prescription (records, Legemidler), Kari by number; the encounter is a resource the API does not hold."""
    return without(MEDICATION_REQUEST, "id", "encounter") | {"subject": kari_by_number(demo)}


# The specification's medicationdispense0302 (https://hl7.org/fhir/R4/medicationdispense0302.html), without its
# narrative, `meta.tag`, the medication's batch and the dosage's timing and doses (its texts kept).
MEDICATION_DISPENSE: JSON = {
    "resourceType": "MedicationDispense",
    "id": "meddisp0302",
    "contained": [
        {
            "resourceType": "Medication",
            "id": "med0360",
            "code": {
                "coding": [
                    {"system": "http://hl7.org/fhir/sid/ndc", "code": "0169-7501-11", "display": "Novolog 100u/ml"}
                ]
            },
            "form": {
                "coding": [{"system": SNOMED, "code": "385219001", "display": "Injection solution (qualifier value)"}]
            },
            "ingredient": [
                {
                    "itemCodeableConcept": {
                        "coding": [{"system": SNOMED, "code": "325072002", "display": "Insulin Aspart (substance)"}]
                    },
                    "strength": {
                        "numerator": {"value": 100, "system": UCUM, "code": "U"},
                        "denominator": {"value": 1, "system": UCUM, "code": "mL"},
                    },
                }
            ],
        }
    ],
    "status": "in-progress",
    "medicationReference": {"reference": "#med0360", "display": "Novolog 100u/ml"},
    "subject": {"reference": "Patient/pat1", "display": "Donald Duck"},
    "authorizingPrescription": [{"reference": "MedicationRequest/medrx0321"}],
    "type": {"coding": [{"system": HL7 + "v3-ActCode", "code": "RFP", "display": "Refill - Part Fill"}]},
    "quantity": {"value": 10, "system": UCUM, "code": "ml"},
    "daysSupply": {"value": 30, "unit": "Day", "system": UCUM, "code": "d"},
    "whenPrepared": "2015-01-15T10:20:00Z",
    "whenHandedOver": "2015-01-15T16:20:00Z",
    "dosageInstruction": [
        {"sequence": 1, "text": "Before Breakfast"},
        {"sequence": 1, "text": "15 units before lunch"},
        {"sequence": 1, "text": "20 units before dinner"},
    ],
}


def medication_dispense_adapted(demo: Demo) -> JSON:
    """A pharmacy's dispensing (records, Legemidler), Kari by number; the example has no identifier, so it gets one.
    Its prescription is one the API does not hold (the reference is kept as sent)."""
    identifier = [{"system": EPJ, "value": "medicationdispense0302"}]
    return without(MEDICATION_DISPENSE, "id") | {"identifier": identifier, "subject": kari_by_number(demo)}


# The specification's medicationstatementexample1 (https://hl7.org/fhir/R4/medicationstatementexample1.html), without
# its narrative, the medication's batch, the dosage's timing, route and doses (its text kept).
MEDICATION_STATEMENT: JSON = {
    "resourceType": "MedicationStatement",
    "id": "example001",
    "contained": [
        {
            "resourceType": "Medication",
            "id": "med0309",
            "code": {
                "coding": [{"system": "http://hl7.org/fhir/sid/ndc", "code": "50580-506-02", "display": "Tylenol PM"}]
            },
        }
    ],
    "identifier": [{"use": "official", "system": "http://www.bmc.nl/portal/medstatements", "value": "12345689"}],
    "status": "active",
    "category": {
        "coding": [{"system": HL7 + "medication-statement-category", "code": "inpatient", "display": "Inpatient"}]
    },
    "medicationReference": {"reference": "#med0309"},
    "subject": {"reference": "Patient/pat1", "display": "Donald Duck"},
    "effectiveDateTime": "2015-01-23",
    "dateAsserted": "2015-02-22",
    "informationSource": {"reference": "Patient/pat1", "display": "Donald Duck"},
    "derivedFrom": [{"reference": "MedicationRequest/medrx002"}],
    "reasonCode": [{"coding": [{"system": SNOMED, "code": "32914008", "display": "Restless Legs"}]}],
    "note": [{"text": "Patient indicates they miss the occasional dose"}],
    "dosage": [{"sequence": 1, "text": "1-2 tablets once daily at bedtime as needed for restless legs"}],
}


def medication_statement_adapted(demo: Demo) -> JSON:
    """An entry of the GP's medication list (records, Legemidler), Kari by number, and the information from her by
    number too (the example's `Patient/pat1` is the patient herself)."""
    return without(MEDICATION_STATEMENT, "id") | {
        "subject": kari_by_number(demo),
        "informationSource": kari_by_number(demo),
    }


# The specification's chargeitem-example (https://hl7.org/fhir/R4/chargeitem-example.html), without its narrative.
CHARGE_ITEM: JSON = {
    "resourceType": "ChargeItem",
    "id": "example",
    "identifier": [{"system": "http://myHospital.org/ChargeItems", "value": "654321"}],
    "definitionUri": ["http://www.kbv.de/tools/ebm/html/01520_2904360860826220813632.html"],
    "status": "billable",
    "code": {
        "coding": [
            {"code": "01510", "display": "Zusatzpauschale für Beobachtung nach diagnostischer Koronarangiografie"}
        ]
    },
    "subject": {"reference": "Patient/example"},
    "context": {"reference": "Encounter/example"},
    "occurrencePeriod": {"start": "2017-01-25T08:00:00+01:00", "end": "2017-01-25T12:35:00+01:00"},
    "performer": [
        {
            "function": {"coding": [{"system": SNOMED, "code": "17561000", "display": "Cardiologist"}]},
            "actor": {"reference": "Practitioner/example"},
        }
    ],
    "performingOrganization": {
        "identifier": {"system": "http://myhospital/NamingSystem/departments", "value": "CARD_INTERMEDIATE_CARE"}
    },
    "requestingOrganization": {
        "identifier": {"system": "http://myhospital/NamingSystem/departments", "value": "CARD_U1"}
    },
    "quantity": {"value": 1},
    "factorOverride": 0.8,
    "priceOverride": {"value": 40, "currency": "EUR"},
    "overrideReason": "Patient is Cardiologist's golf buddy, so he gets a 20% discount!",
    "enterer": {"reference": "Practitioner/example"},
    "enteredDate": "2017-01-25T23:55:04+01:00",
    "reason": [{"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "123456", "display": "DIAG-1"}]}],
    "service": [{"reference": "Procedure/example"}],
    "account": [{"reference": "Account/example"}],
}


def charge_item_adapted(demo: Demo) -> JSON:
    """A provider's co-payment (copayments, Frikort og egenandeler), Kari by number, the amount in kroner (the
    portal takes NOK only); the encounter, performer, enterer, procedure and account are resources the API does not
    hold."""
    dropped = ("id", "context", "performer", "enterer", "service", "account")
    return without(CHARGE_ITEM, *dropped) | {
        "subject": kari_by_number(demo),
        "priceOverride": {"value": 40, "currency": "NOK"},
    }


CONSENT: JSON = {
    "resourceType": "Consent",
    "id": "consent-example-basic",
    "status": "active",
    "scope": {"coding": [{"system": HL7 + "consentscope", "code": "patient-privacy"}]},
    "category": [{"coding": [{"system": LOINC, "code": "59284-0"}]}],
    "patient": {"reference": "Patient/f001", "display": "P. van de Heuvel"},
    "dateTime": "2018-12-28",
    "organization": [{"reference": "Organization/f001"}],
    "sourceAttachment": {"title": "The terms of the consent in lawyer speak."},
    "policyRule": {"coding": [{"system": HL7 + "v3-ActCode", "code": "OPTIN"}]},
    "provision": {"period": {"start": "1964-01-01", "end": "2019-01-01"}},
}


def consent_adapted(demo: Demo) -> JSON:
    return without(CONSENT, "id") | {
        "patient": kari_by_number(demo),
        "organization": [{"identifier": {"system": ORGNR_SYSTEM, "value": demo.gp.orgnr}}],
        "provision": {"period": {"start": demo.today.isoformat(), "end": demo.days_ahead(90).isoformat()}},
    }


EPISODE_OF_CARE: JSON = {
    "resourceType": "EpisodeOfCare",
    "id": "example",
    "identifier": [{"system": "http://example.org/sampleepisodeofcare-identifier", "value": "123"}],
    "status": "active",
    "statusHistory": [
        {"status": "planned", "period": {"start": "2014-09-01", "end": "2014-09-14"}},
        {"status": "active", "period": {"start": "2014-09-22"}},
    ],
    "type": [
        {"coding": [{"system": HL7 + "episodeofcare-type", "code": "hacc", "display": "Home and Community Care"}]}
    ],
    "diagnosis": [
        {
            "condition": {"reference": "Condition/stroke"},
            "role": {"coding": [{"system": HL7 + "diagnosis-role", "code": "CC", "display": "Chief complaint"}]},
            "rank": 1,
        }
    ],
    "patient": {"reference": "Patient/example"},
    "managingOrganization": {"reference": "Organization/hl7"},
    "period": {"start": "2014-09-01"},
    "referralRequest": [{"display": "Referral from Example Aged Care Services"}],
    "careManager": {"reference": "Practitioner/14", "display": "Amanda Assigned"},
    "team": [{"reference": "CareTeam/example", "display": "example care team"}],
    "account": [{"reference": "Account/example", "display": "example account"}],
}


def episode_adapted(demo: Demo) -> JSON:
    return without(EPISODE_OF_CARE, "id", "diagnosis", "careManager", "team", "account") | {
        "identifier": [{"system": EPJ, "value": "episodeofcare-example"}],
        "patient": kari_by_number(demo),
        "managingOrganization": {"identifier": {"system": ORGNR_SYSTEM, "value": demo.gp.orgnr}},
    }


YES_NO = "http://cancer.questionnaire.org/system/code/yesno"
QUESTIONNAIRE_RESPONSE: JSON = {
    "resourceType": "QuestionnaireResponse",
    "id": "3141",
    "contained": [
        {
            "resourceType": "Patient",
            "id": "patsub",
            "identifier": [{"system": "http://cancer.questionnaire.org/systems/id/patientnr", "value": "A34442332"}],
            "gender": "male",
            "birthDate": "1972-11-30",
        }
    ],
    "identifier": {"system": "http://example.org/fhir/NamingSystem/questionnaire-ids", "value": "Q12349876"},
    "partOf": [{"reference": "Procedure/f201"}],
    "status": "completed",
    "subject": {"reference": "#patsub"},
    "author": {"reference": "Practitioner/f201"},
    "authored": "2013-02-19T14:15:00-05:00",
    "item": [
        {
            "linkId": "1",
            "item": [
                {
                    "linkId": "1.1",
                    "answer": [
                        {
                            "valueCoding": {"system": YES_NO, "code": "1", "display": "Yes"},
                            "item": [
                                {
                                    "linkId": "1.1.1",
                                    "item": [
                                        {
                                            "linkId": "1.1.1.1",
                                            "answer": [{"valueCoding": {"system": YES_NO, "code": "1"}}],
                                        },
                                        {
                                            "linkId": "1.1.1.2",
                                            "answer": [{"valueCoding": {"system": YES_NO, "code": "1"}}],
                                        },
                                        {
                                            "linkId": "1.1.1.3",
                                            "answer": [{"valueCoding": {"system": YES_NO, "code": "0"}}],
                                        },
                                    ],
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    ],
}


def questionnaire_response_adapted(demo: Demo) -> JSON:
    return without(QUESTIONNAIRE_RESPONSE, "id", "contained", "partOf") | {
        "identifier": {"system": EPJ, "value": "questionnaireresponse-example"},
        "subject": kari_by_number(demo),
        "author": {"identifier": {"system": HPR_SYSTEM, "value": demo.lars.hpr_number}},
    }


QUESTIONNAIRE: JSON = {
    "resourceType": "Questionnaire",
    "id": "f201",
    "url": "http://hl7.org/fhir/Questionnaire/f201",
    "status": "active",
    "subjectType": ["Patient"],
    "date": "2010",
    "code": [
        {
            "system": "http://example.org/system/code/lifelines/nl",
            "code": "VL 1-1, 18-65_1.2.2",
            "display": "Lifelines Questionnaire 1 part 1",
        }
    ],
    "item": [
        {"linkId": "1", "text": "Do you have allergies?", "type": "boolean"},
        {
            "linkId": "2",
            "text": "General questions",
            "type": "group",
            "item": [
                {"linkId": "2.1", "text": "What is your gender?", "type": "string"},
                {"linkId": "2.2", "text": "What is your date of birth?", "type": "date"},
                {"linkId": "2.3", "text": "What is your country of birth?", "type": "string"},
                {"linkId": "2.4", "text": "What is your marital status?", "type": "string"},
            ],
        },
        {
            "linkId": "3",
            "text": "Intoxications",
            "type": "group",
            "item": [
                {"linkId": "3.1", "text": "Do you smoke?", "type": "boolean"},
                {"linkId": "3.2", "text": "Do you drink alchohol?", "type": "boolean"},
            ],
        },
    ],
}


def questionnaire_adapted(demo: Demo) -> JSON:
    """Forms point their answers at `url|version`, so a form the portal takes has a version (and a title)."""
    return without(QUESTIONNAIRE, "id") | {"version": "1", "title": "Lifelines Questionnaire 1 part 1"}


def questionnaire_meaning(resource: JSON) -> JSON:
    def items(found: list[JSON]) -> tuple[Any, ...]:
        return tuple((i["linkId"], i["type"], i.get("text"), items(i.get("item", []))) for i in found)

    return {"url": resource["url"], "version": resource["version"], "items": items(resource["item"])}


def questionnaire_imported(demo: Demo) -> str:
    """The adapted copy imported as a unit's editors would (the API serves forms, it does not take them)."""
    return str(import_form(questionnaire_adapted(demo), unit=demo.gp, public=True).pk)


DCM = "http://dicom.nema.org/resources/ontology/DCM"
AUDIT_EVENT: JSON = {
    "resourceType": "AuditEvent",
    "id": "example",
    "type": {"system": DCM, "code": "110100", "display": "Application Activity"},
    "subtype": [{"system": DCM, "code": "110120", "display": "Application Start"}],
    "action": "E",
    "recorded": "2012-10-25T22:04:27+11:00",
    "outcome": "0",
    "agent": [
        {
            "type": {
                "coding": [{"system": HL7 + "extra-security-role-type", "code": "humanuser", "display": "human user"}]
            },
            "role": [{"text": "Service User (Logon)"}],
            "who": {"identifier": {"value": "Grahame"}},
            "requestor": False,
            "network": {"address": "127.0.0.1", "type": "2"},
        },
        {
            "type": {"coding": [{"system": DCM, "code": "110153", "display": "Source Role ID"}]},
            "who": {"identifier": {"system": "urn:oid:2.16.840.1.113883.4.2", "value": "2.16.840.1.113883.4.2"}},
            "altId": "6580",
            "requestor": False,
            "network": {"address": "Workstation1.ehr.familyclinic.com", "type": "1"},
        },
    ],
    "source": {
        "site": "Development",
        "observer": {"display": "Grahame's Laptop"},
        "type": [{"system": DCM, "code": "110122", "display": "Login"}],
    },
    "entity": [
        {
            "what": {"identifier": {"value": "Grahame's Laptop"}},
            "type": {
                "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type",
                "code": "4",
                "display": "Other",
            },
        }
    ],
}


def audit_event_adapted(demo: Demo) -> JSON:
    """The record system as the agent (by its unit's organisasjonsnummer), Kari as the entity (by fødselsnummer): a
    source's access log (records, Pasientjournal), with its identifier in our extension (R4's AuditEvent has none)."""
    system = {"identifier": {"system": ORGNR_SYSTEM, "value": demo.gp.orgnr}, "display": demo.gp.shown_name}
    key = {"system": EPJ, "value": "auditevent-example"}
    return without(AUDIT_EVENT, "id") | {
        "extension": [{"url": SOURCE_IDENTIFIER_EXTENSION, "valueIdentifier": key}],
        "agent": [without(AUDIT_EVENT["agent"][0], "who") | {"who": system}],
        "entity": [{"what": kari_by_number(demo)}],
    }


def audit_event_meaning(resource: JSON) -> JSON:
    """Everything it says but the server's `id`/`meta` and the patient's form (by number when sent, by our key and
    number when served)."""
    entities = resource["entity"]
    return without(resource, "id", "meta", "entity") | {"patient": identified(entities[0]["what"])}


# The specification's documentreference-example (https://hl7.org/fhir/R4/documentreference-example.html), without its
# contained Practitioner, `relatesTo` and `context`.
DOCUMENT_REFERENCE: JSON = {
    "resourceType": "DocumentReference",
    "id": "example",
    "masterIdentifier": {"system": "urn:ietf:rfc:3986", "value": "urn:oid:1.3.6.1.4.1.21367.2005.3.7"},
    "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:oid:1.3.6.1.4.1.21367.2005.3.7.1234"}],
    "status": "current",
    "docStatus": "preliminary",
    "type": {"coding": [{"system": LOINC, "code": "34108-1", "display": "Outpatient Note"}]},
    "category": [
        {
            "coding": [
                {
                    "system": "http://ihe.net/xds/connectathon/classCodes",
                    "code": "History and Physical",
                    "display": "History and Physical",
                }
            ]
        }
    ],
    "subject": {"reference": "Patient/xcda"},
    "date": "2005-12-24T09:43:41+11:00",
    "author": [{"reference": "Practitioner/xcda1"}],
    "custodian": {"reference": "Organization/f001"},
    "description": "Physical",
    "securityLabel": [{"coding": [{"system": HL7 + "v3-Confidentiality", "code": "V", "display": "very restricted"}]}],
    "content": [
        {
            "attachment": {
                "contentType": "application/hl7-v3+xml",
                "language": "en-US",
                "url": "http://example.com/xds-sample-document.xml",
                "size": 3654,
                "hash": "2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
                "title": "Physical",
                "creation": "2005-12-24T09:35:00+11:00",
            },
            "format": {
                "system": "urn:oid:1.3.6.1.4.1.19376.1.2.3",
                "code": "urn:ihe:pcc:handp:2008",
                "display": "History and Physical Specification",
            },
        }
    ],
}


def document_reference_adapted(demo: Demo) -> JSON:
    """A GP office's note (records, Pasientjournal), Kari by number: the document itself inline as plain text (the
    portal fetches nothing from other addresses, and shows only PDF and text), the author and custodian by name."""
    attachment = without(DOCUMENT_REFERENCE["content"][0]["attachment"], "url", "size", "hash") | {
        "contentType": "text/plain",
        "data": "UGh5c2ljYWwgZXhhbWluYXRpb24u",  # "Physical examination."
    }
    return without(DOCUMENT_REFERENCE, "id") | {
        "subject": kari_by_number(demo),
        "author": [{"display": "Dr Gregory Smitty"}],
        "custodian": {"display": demo.gp.shown_name},
        "content": [DOCUMENT_REFERENCE["content"][0] | {"attachment": attachment}],
    }


def document_reference_meaning(resource: JSON) -> JSON:
    """As for a result, and the attachment by what it says of the document: its bytes are served as a Binary (`url`),
    with their size, hash and character set added."""
    content = resource["content"][0]
    attachment = without(content["attachment"], "data", "url", "size", "hash") | {
        "contentType": content["attachment"]["contentType"].split(";")[0]
    }
    return observation_meaning(resource) | {"content": [content | {"attachment": attachment}]}


# https://hl7.org/fhir/R4/binary-example.html: a PDF; its `data` shortened to the document's first bytes.
BINARY: JSON = {
    "resourceType": "Binary",
    "id": "example",
    "contentType": "application/pdf",
    "securityContext": {"reference": "DocumentReference/example"},
    "data": "JVBERi0xLjUNJeLjz9MNCg==",
}


def binary_adapted(demo: Demo) -> JSON:
    """A file as a message's: the API only serves Binary (a message's attachments), so this is refused as a write."""
    return without(BINARY, "id") | {"securityContext": {"reference": "Communication/1"}}


def unit_id(demo: Demo) -> str:
    return str(demo.gp.pk)


EXAMPLES: dict[str, list[Example]] = {
    "Appointment": [Example("appointment-example", APPOINTMENT, appointment_adapted, appointment_meaning)],
    "Observation": [
        Example(
            "observation-example", BODY_WEIGHT, observation_adapted(BODY_WEIGHT, "body-weight"), observation_meaning
        ),
        Example(
            "observation-example-bloodpressure",
            BLOOD_PRESSURE,
            observation_adapted(BLOOD_PRESSURE, "blood-pressure"),
            observation_meaning,
        ),
    ],
    "Subscription": [Example("subscription-example", SUBSCRIPTION, subscription_adapted, subscription_meaning)],
    "Patient": [Example("patient-example", PATIENT, patient_adapted, patient_meaning, lambda demo: str(demo.kari.pk))],
    "Practitioner": [
        Example(
            "practitioner-example",
            PRACTITIONER,
            practitioner_adapted,
            practitioner_meaning,
            lambda demo: str(demo.lars.pk),
        )
    ],
    "Organization": [
        Example("organization-example", ORGANIZATION, organization_adapted, organization_meaning, unit_id)
    ],
    "HealthcareService": [
        Example(
            "healthcareservice-example",
            HEALTHCARE_SERVICE,
            healthcare_service_adapted,
            healthcare_service_meaning,
            unit_id,
        )
    ],
    "Communication": [Example("communication-example", COMMUNICATION, communication_adapted, communication_meaning)],
    "Consent": [Example("consent-example-basic", CONSENT, consent_adapted, dict)],
    "DiagnosticReport": [
        Example(
            "diagnosticreport-example-ultrasound", DIAGNOSTIC_REPORT, diagnostic_report_adapted, observation_meaning
        )
    ],
    "Immunization": [Example("immunization-example", IMMUNIZATION, immunization_adapted, immunization_meaning)],
    "ServiceRequest": [
        Example("servicerequest-example-di", SERVICE_REQUEST, service_request_adapted, observation_meaning)
    ],
    "MedicationRequest": [
        Example("medicationrequest0307", MEDICATION_REQUEST, medication_request_adapted, observation_meaning)
    ],
    "MedicationDispense": [
        Example("medicationdispense0302", MEDICATION_DISPENSE, medication_dispense_adapted, observation_meaning)
    ],
    "MedicationStatement": [
        Example("medicationstatementexample1", MEDICATION_STATEMENT, medication_statement_adapted, observation_meaning)
    ],
    "ChargeItem": [Example("chargeitem-example", CHARGE_ITEM, charge_item_adapted, observation_meaning)],
    "EpisodeOfCare": [Example("episodeofcare-example", EPISODE_OF_CARE, episode_adapted, dict)],
    "QuestionnaireResponse": [
        Example("questionnaireresponse-example", QUESTIONNAIRE_RESPONSE, questionnaire_response_adapted, dict)
    ],
    "AuditEvent": [Example("auditevent-example", AUDIT_EVENT, audit_event_adapted, audit_event_meaning)],
    "DocumentReference": [
        Example("documentreference-example", DOCUMENT_REFERENCE, document_reference_adapted, document_reference_meaning)
    ],
    "Binary": [Example("binary-example", BINARY, binary_adapted, dict)],
    "Questionnaire": [
        Example(
            "questionnaire-example-f201-lifelines",
            QUESTIONNAIRE,
            questionnaire_adapted,
            questionnaire_meaning,
            questionnaire_imported,
        )
    ],
}


# --- The data and the caller ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[Demo]:
    """The personas and Kari's thread with the GP office (so she is its patient), loaded once for the module inside
    a transaction rolled back at its end; each test runs in a savepoint of its own inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        load_messaging()
        yield Demo(
            kari=Person.objects.get(pid=personas.KARI.pid),
            lars=Practitioner.objects.get(hpr_number=personas.LARS.hpr_number),
            gp=Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr),
            today=today(),
        )
        transaction.set_rollback(True)


@pytest.fixture
def demo(world: Demo, db: None) -> Demo:
    return world


def record_system(demo: Demo) -> ApiClient:
    """The GP office's record system, with every registered type's scopes (what a type refuses is the type's)."""
    actor = Actor(
        role=Role.SYSTEM,
        assurance=Assurance.HIGH,
        client_id="kirkeveien-epj",
        unit_id=demo.gp.pk,
        scopes=frozenset(f"system/{name}.cruds" for name in REGISTERED),
    )
    return api(actor)


def takes(type_name: str) -> bool:
    """Whether the API creates resources of this type (else it only serves them)."""
    found = provider.lookup(type_name)
    return found is not None and found.writer is not None and found.writer.create is not None


def valid(resource: JSON) -> JSON:
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource


def refused(response: Any, *statuses: int) -> JSON:
    """A client error answered with an OperationOutcome whose every issue has a code and that says why in words."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:1000])
    if statuses:
        assert response.status_code in statuses, (response.status_code, response.content[:1000])
    body = valid(response.json())
    assert body["resourceType"] == "OperationOutcome"
    assert all(issue.get("code") and issue.get("severity") in ("error", "fatal") for issue in body["issue"]), body
    texts = [issue.get("details", {}).get("text", "") for issue in body["issue"]]
    assert any(len(text) > 10 for text in texts), body
    assert not any("Traceback" in text or "Exception" in text for text in texts), body
    return body


def examples_of(type_name: str) -> list[Example]:
    found = EXAMPLES.get(type_name)
    assert found, f"{type_name} is served by the API but has no example of the specification's here"
    return found


# --- The tests ------------------------------------------------------------------------------------------------------


def test_each_type_the_api_serves_has_its_examples_here_and_no_other():
    assert sorted(EXAMPLES) == sorted(REGISTERED)
    for examples in EXAMPLES.values():
        for example in examples:
            valid(example.spec)  # the copy is a valid R4 resource, as the published example is


@pytest.mark.parametrize("type_name", REGISTERED)
def test_an_example_shaped_like_the_specifications_is_taken_and_read_back_equal_in_meaning_or_refused(
    type_name: str, demo: Demo
):
    client = record_system(demo)
    for example in examples_of(type_name):
        sent = valid(example.adapted(demo))
        response = client.post(f"{BASE}/{type_name}", sent)
        if not takes(type_name):
            body = refused(response, 405)
            assert body["issue"][0]["code"] == "not-supported"
            assert type_name in body["issue"][0]["details"]["text"]
            target = example.counterpart(demo) if example.counterpart else "1"
            refused(client.put(f"{BASE}/{type_name}/{target}", sent | {"id": target}), 405)
            if example.counterpart is not None:  # what the API serves of the same person or unit says the same
                read = client.get(f"{BASE}/{type_name}/{target}")
                assert read.status_code == 200, read.content
                assert example.meaning(valid(read.json())) == example.meaning(sent), example.name
            continue
        assert response.status_code == CREATED, (example.name, response.content)
        created = response.json()
        assert response["Location"].endswith(f"{type_name}/{created['id']}/_history/1")
        read = client.get(f"{BASE}/{type_name}/{created['id']}")
        assert read.status_code == 200, read.content
        served = valid(read.json())
        assert served["meta"]["versionId"] == "1"
        assert example.meaning(served) == example.meaning(sent), example.name
        # What was read back, sent back as it is with its version, changes nothing.
        same = client.put(f"{BASE}/{type_name}/{created['id']}", served, headers={"If-Match": 'W/"1"'})
        assert same.status_code == 200, same.content
        assert same.json()["meta"]["versionId"] == "1"
        if "identifier" in sent and type_name != "Subscription":
            # The same record again under another source key (a re-keyed re-send): the same resource, unchanged.
            again = client.post(f"{BASE}/{type_name}", sent | {"id": "re-keyed"})
            assert again.status_code == 200, again.content
            assert again.json()["id"] == created["id"]
            assert again.json()["meta"]["versionId"] == "1"
            identifier = sent["identifier"][0]
            found = client.get(f"{BASE}/{type_name}?identifier={identifier['system']}|{identifier['value']}")
            assert [e["resource"]["id"] for e in found.json()["entry"]] == [created["id"]]


@pytest.mark.parametrize("type_name", REGISTERED)
def test_the_specifications_example_as_published_is_refused_with_an_outcome_and_nothing_is_stored(
    type_name: str, demo: Demo
):
    client = record_system(demo)
    for example in examples_of(type_name):
        with CaptureQueriesContext(transaction.get_connection()) as queries:
            refused(client.post(f"{BASE}/{type_name}", example.spec))
            refused(client.put(f"{BASE}/{type_name}/{example.spec['id']}", example.spec))
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
        assert writes == [], (example.name, writes)


def test_a_batch_of_every_example_answers_each_entry_and_a_transaction_of_the_published_ones_stores_nothing(
    demo: Demo,
):
    client = record_system(demo)
    examples = [(name, example) for name in REGISTERED for example in EXAMPLES.get(name, [])]
    published = {
        "resourceType": "Bundle",
        "type": "batch",
        "entry": [{"resource": e.spec, "request": {"method": "POST", "url": name}} for name, e in examples],
    }
    answer = client.post(f"{BASE}/", published)
    assert answer.status_code == 200, answer.content
    for (_name, example), entry in zip(examples, answer.json()["entry"], strict=True):
        status = int(entry["response"]["status"].split()[0])
        assert 400 <= status < 500, (example.name, entry)
        assert entry["response"]["outcome"]["issue"], (example.name, entry)

    adapted = published | {
        "entry": [{"resource": e.adapted(demo), "request": {"method": "POST", "url": name}} for name, e in examples]
    }
    answer = client.post(f"{BASE}/", adapted)
    assert answer.status_code == 200, answer.content
    statuses = [entry["response"]["status"].split()[0] for entry in answer.json()["entry"]]
    assert statuses == ["201" if takes(name) else "405" for name, _example in examples]

    whole = published | {"type": "transaction"}
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        body = refused(client.post(f"{BASE}/", whole))
    assert any(
        expression.startswith("Bundle.entry[") for issue in body["issue"] for expression in issue.get("expression", [])
    ), body
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == [], writes
