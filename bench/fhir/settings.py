"""helseportal's settings for the benchmark when no SMART authorization server is on the branch yet.

The same settings (`HELSEPORTAL_ENV=staging`, from the environment), plus one middleware (`bench.fhir.actor`)
that turns the run's own bearer token into the GP office's system Actor, where SMART's middleware would look the
token up. Used only when `helseportal fhir-client` does not exist; the runner says so in its notes.
"""

from helseportal.settings import *  # noqa: F403
from helseportal.settings import MIDDLEWARE

MIDDLEWARE = [*MIDDLEWARE, "bench.fhir.actor.bench_token"]
