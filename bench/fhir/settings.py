"""helseportal's settings for the benchmark on a branch without SMART's authorization server or the kernel's FHIR
auditor: the same settings (`HELSEPORTAL_ENV=staging`, from the environment) plus `bench.fhir.standins`.
The runner uses them only then, and says so in its notes.
"""

from helseportal.settings import *  # noqa: F403
from helseportal.settings import FHIR_MIDDLEWARE, MIDDLEWARE

MIDDLEWARE = [*MIDDLEWARE, "bench.fhir.standins.bench_token"]
FHIR_MIDDLEWARE = [*FHIR_MIDDLEWARE, "bench.fhir.standins.bench_token"]
