"""Code systems, codings and the small rules that keep mapped output stable."""

import datetime
import functools
from collections.abc import Callable

from django.utils import translation

from helseportal.core.time import OSLO
from helseportal.fhir import JSON

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
TERMINOLOGY = "http://terminology.hl7.org/CodeSystem/"
# Our own code systems, where no standard code fits (an appointment's meeting form, a card's local field): one
# prefix, `urn:helseportal:<system>`, so that a receiver sees at once that the code is ours.
LOCAL = "urn:helseportal:"


def coding(system: str, code: str, display: str = "") -> JSON:
    found = {"system": system, "code": code}
    return {**found, "display": display} if display else found


def local(system: str, code: str, display: str = "") -> JSON:
    """A Coding in one of our own systems (`local("appointment-type", "youth")`)."""
    return coding(LOCAL + system, code, display)


def concept(system: str, code: str, display: str) -> JSON:
    """A CodeableConcept with one coding and its text."""
    return {"coding": [coding(system, code, display)], "text": display}


def terminology(system: str, code: str) -> JSON:
    """A CodeableConcept in one of HL7's terminology systems (`terminology("consentscope", "patient-privacy")`)."""
    return {"coding": [coding(TERMINOLOGY + system, code)]}


def instant(moment: datetime.datetime) -> str:
    """A timestamp in Oslo time with its offset, to the second (`2026-11-26T08:30:00+01:00`)."""
    return moment.astimezone(OSLO).replace(microsecond=0).isoformat()


def in_bokmal[**P, R](mapper: Callable[P, R]) -> Callable[P, R]:
    """Map with displays in bokmål whatever the page's language: the same data gives the same JSON.

    A fresh `override` per call: one shared instance would keep its saved language across threads."""

    @functools.wraps(mapper)
    def mapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override("nb"):
            return mapper(*args, **kwargs)

    return mapped
