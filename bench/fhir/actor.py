"""A stand-in for SMART's bearer-token middleware, for a branch without the authorization server (bench only).

Under `/fhir/`, `Authorization: Bearer <BENCH_FHIR_TOKEN>` (a random secret made for the run) becomes the system
Actor of the benchmark's EPJ client at the unit BENCH_FHIR_UNIT, with the scopes `bench.fhir.portal.SCOPES`;
anything else stays as it was. It costs no query, where SMART's looks the token up: helseportal's numbers
measured with it are slightly optimistic.
"""

import hmac
import os
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.request import set_actor

TOKEN = os.environ.get("BENCH_FHIR_TOKEN", "")
SCOPES = frozenset(os.environ.get("BENCH_FHIR_SCOPES", "system/Observation.cruds system/Patient.rs").split())


def bench_token(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    actor = Actor(
        role=Role.SYSTEM,
        assurance=Assurance.HIGH,
        client_id="bench-epj",
        unit_id=int(os.environ.get("BENCH_FHIR_UNIT", "0")) or None,
        scopes=SCOPES,
        display_name="Benchmark-EPJ",
    )

    def middleware(request: HttpRequest) -> HttpResponse:
        if TOKEN and request.path_info.startswith("/fhir/"):
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() == "bearer" and hmac.compare_digest(token.strip(), TOKEN):
                set_actor(request, actor)
        return get_response(request)

    return middleware
