import datetime
import os
from collections.abc import Iterator

import pytest
import time_machine

# Tests run with the test environment's settings (DEBUG off, synthetic identities on) unless told otherwise.
os.environ.setdefault("HELSEPORTAL_ENV", "test")

# The suite never depends on the day it runs: the whole run (session fixtures, the live server's threads, the
# demo data) sees one fixed moment, ticking on from there. `HELSEPORTAL_TEST_CLOCK` moves it; `make test-dates`
# runs the date-sensitive tests on each weekday and across the daylight-saving changes.
DEFAULT_CLOCK = "2026-06-10T10:00:00+02:00"  # a Wednesday in summer time, Oslo
_traveller: time_machine.travel | None = None


def test_clock() -> datetime.datetime:
    value = os.environ.get("HELSEPORTAL_TEST_CLOCK") or DEFAULT_CLOCK
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"HELSEPORTAL_TEST_CLOCK needs a UTC offset: {value!r}")
    return moment


def pytest_configure(config: pytest.Config) -> None:
    global _traveller
    config.addinivalue_line("markers", "dates: depends on the day and hour; `make test-dates` runs it on many days")
    _traveller = time_machine.travel(test_clock(), tick=True)
    _traveller.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _traveller is not None:
        _traveller.stop()


def pytest_report_header(config: pytest.Config) -> str:
    return f"clock: {test_clock().isoformat()} (HELSEPORTAL_TEST_CLOCK), ticking"


@pytest.fixture
def real_clock() -> Iterator[None]:
    """The machine's own time, for a test that talks to another process (which has no fixed clock)."""
    with time_machine.travel(time_machine.escape_hatch.time.time(), tick=True):
        yield


@pytest.fixture(autouse=True)
def bokmal_outside_requests() -> Iterator[None]:
    """Each test starts in bokmål: a request in nynorsk through the test client leaves nynorsk active in the
    thread (LocaleMiddleware activates it and nothing deactivates it), and a later test that calls a service
    directly would get nynorsk texts."""
    from django.utils import translation

    translation.activate("nb")
    yield
    translation.deactivate()
