"""Where each domain's `fhir.py` registers its mappers, so that the API finds them without knowing the domains.

A domain registers at its app's `ready()`:

    registry.register("Appointment", Appointment, appointment)

and the API (issue 10) asks `registry.to_resource(obj)` or `registry.mappers_for("Appointment")`. A model
may map to more than one resource type (an appointment request is an `Appointment` with status `proposed`);
registering the same model for the same type twice is a programming error.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from helseportal.core.errors import NotFound
from helseportal.fhir import JSON


@dataclass(frozen=True)
class Mapper:
    resource_type: str
    model: type
    to_fhir: Callable[[Any], JSON]


_MAPPERS: dict[tuple[str, type], Mapper] = {}


def register(resource_type: str, model: type, to_fhir: Callable[[Any], JSON]) -> Mapper:
    key = (resource_type, model)
    if key in _MAPPERS and _MAPPERS[key].to_fhir is not to_fhir:
        raise ValueError(f"{model.__name__} already maps to {resource_type}")
    _MAPPERS[key] = Mapper(resource_type, model, to_fhir)
    return _MAPPERS[key]


def resource_types() -> list[str]:
    return sorted({mapper.resource_type for mapper in _MAPPERS.values()})


def mappers_for(resource_type: str) -> list[Mapper]:
    """The mappers for one resource type; `NotFound` for a type nobody maps (the API's 404 for `/Foo`)."""
    found = [mapper for (kind, _model), mapper in _MAPPERS.items() if kind == resource_type]
    if not found:
        raise NotFound
    return found


def to_resource(obj: object) -> JSON:
    """The resource for one model instance, by the first mapper registered for its class."""
    for (_kind, model), mapper in _MAPPERS.items():
        if type(obj) is model:
            return mapper.to_fhir(obj)
    raise LookupError(f"no FHIR mapper for {type(obj).__name__}")
