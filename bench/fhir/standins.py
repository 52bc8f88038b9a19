"""Stand-ins for parts of issue 10 a branch may not have yet, so that helseportal can be measured (bench only).

- `bench_token`, for a branch without SMART's authorization server: under `/fhir/`, `Authorization: Bearer
  <BENCH_FHIR_TOKEN>` (a random secret made for the run) becomes the system Actor of the benchmark's EPJ client
  at the unit BENCH_FHIR_UNIT; anything else stays as it was. It costs no query, where SMART's middleware looks
  the token up: one indexed query less than the real thing.
- `audit`, for a branch without the kernel's FHIR auditor: what it will do, as far as the cost goes (one
  hash-chained audit record per person read or written, `access.audit.record_many`, in the request's
  transaction), under an existing audit code. Installed by the middleware factory only if no auditor is
  registered.
"""

import hmac
import os
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse

from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.request import set_actor

TOKEN = os.environ.get("BENCH_FHIR_TOKEN", "")
SCOPES = frozenset(os.environ.get("BENCH_FHIR_SCOPES", "system/Observation.cruds system/Patient.rs").split())


STANDIN_CODE = "profile:read"  # any registered code: the stand-in measures the cost, not the wording


def audit(actor: Actor, action: str, resources: Iterable[str], subject_ids: Iterable[int]) -> None:
    from helseportal.access.audit.chain import record_many

    subjects = sorted(set(subject_ids))
    if subjects:
        items = sorted(set(resources))
        record_many(actor, STANDIN_CODE, subject_ids=subjects, resources=[items] * len(subjects), purpose=action)


def bench_token(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    from helseportal.fhir import provider

    try:
        provider.auditor()
    except RuntimeError:
        provider.set_auditor(audit)
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
