import os
from collections.abc import Iterator

import pytest

# Tests run with the test environment's settings (DEBUG off, synthetic identities on) unless told otherwise.
os.environ.setdefault("HELSEPORTAL_ENV", "test")


@pytest.fixture(autouse=True)
def bokmal_outside_requests() -> Iterator[None]:
    """Each test starts in bokmål: a request in nynorsk through the test client leaves nynorsk active in the
    thread (LocaleMiddleware activates it and nothing deactivates it), and a later test that calls a service
    directly would get nynorsk texts."""
    from django.utils import translation

    translation.activate("nb")
    yield
    translation.deactivate()
