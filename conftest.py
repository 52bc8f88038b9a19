import datetime
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from hypothesis import settings

# The `replica` fixture: a streaming replica of the test database, for the tests that ask for it (PostgreSQL lane).
pytest_plugins = ["tests.replica"]

# Tests run with the test environment's settings (DEBUG off, synthetic identities on) unless told otherwise.
os.environ.setdefault("HELSEPORTAL_ENV", "test")

# The suite never depends on the day it runs: the whole run (session fixtures, the live server's threads, the
# demo data) sees one fixed moment, ticking on from there. `HELSEPORTAL_TEST_CLOCK` moves it; `make test-dates`
# runs the date-sensitive tests on each weekday and across the daylight-saving changes.
DEFAULT_CLOCK = "2026-06-10T10:00:00+02:00"  # a Wednesday in summer time, Oslo
_traveller: time_machine.travel | None = None

# `make test-dates` (`pytest -m dates --each-clock`) runs every test marked `dates` once at each of these moments,
# in one run: each weekday of the week that ends with the spring change to summer time (Easter 2027), the hours
# around both daylight-saving changes, and the late evenings when Oslo's date and UTC's differ. They lie between
# 2026-09-03 and 2027-09-02, while the personas are the ages their comments give (Nora 15, Ola 10 or 11).
DATES_CLOCKS = (
    "2027-03-22T08:00:00+01:00",  # Monday morning
    "2027-03-23T12:00:00+01:00",  # Tuesday noon
    "2027-03-24T23:30:00+01:00",  # Wednesday late evening (22:30 UTC)
    "2027-03-25T00:30:00+01:00",  # Thursday just after midnight in Oslo, still Wednesday in UTC; Maundy Thursday
    "2027-03-26T15:00:00+01:00",  # Friday afternoon: three days ahead is next week (the Friday failure, item 16)
    "2027-03-27T23:30:00+01:00",  # Saturday late evening, the night the clocks go forward
    "2027-03-28T01:30:00+01:00",  # Sunday 01:30, half an hour before 02:00 becomes 03:00
    "2027-03-28T03:30:00+02:00",  # Sunday 03:30, just after
    "2026-10-25T02:30:00+02:00",  # the first 02:30 of the night summer time ends
    "2026-10-25T02:30:00+01:00",  # the second 02:30, an hour later
)

# No deadline for any Hypothesis test: the suite never asserts on wall-clock time, and a loaded machine is slow.
settings.register_profile("helseportal", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or "helseportal")


def test_clock() -> datetime.datetime:
    value = os.environ.get("HELSEPORTAL_TEST_CLOCK") or DEFAULT_CLOCK
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"HELSEPORTAL_TEST_CLOCK needs a UTC offset: {value!r}")
    return moment


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--each-clock", action="store_true", help="run each test marked `dates` once at every moment in DATES_CLOCKS"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.config.getoption("each_clock") and metafunc.definition.get_closest_marker("dates"):
        metafunc.parametrize("dates_clock", DATES_CLOCKS, indirect=True, ids=[c[:16] + c[19:] for c in DATES_CLOCKS])


@pytest.fixture(autouse=True)
def dates_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """With `--each-clock`, a `dates` test's moment (before any fixture that reads the clock); else nothing."""
    moment = getattr(request, "param", None)
    if moment is None:
        yield
        return
    with time_machine.travel(datetime.datetime.fromisoformat(moment), tick=True):
        yield


def compile_stale_catalogues(root: Path) -> list[Path]:
    """Compile every message catalogue whose .mo is missing or older than its .po, as `make messages` would.

    `make test` compiles them first; this covers `uv run pytest` straight after a clone or a pull that changed a
    .po, where the pages would otherwise show bokmål msgids in nynorsk and English and the tests say why not."""
    stale = []
    for po in sorted(root.glob("**/locale/*/LC_MESSAGES/django.po")):
        if ".venv" in po.parts or "node_modules" in po.parts:
            continue
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            msgfmt = shutil.which("msgfmt") or "msgfmt"  # GNU gettext, as Django's compilemessages uses
            subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603
            stale.append(po)
    return stale


def pytest_configure(config: pytest.Config) -> None:
    global _traveller
    compile_stale_catalogues(Path(__file__).parent)
    config.addinivalue_line("markers", "dates: depends on the day and hour; `make test-dates` runs it on many days")
    _traveller = time_machine.travel(test_clock(), tick=True)
    _traveller.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _traveller is not None:
        _traveller.stop()


# On PostgreSQL (`make test-postgres`) the suite runs what reaches the database: a test that uses none (a rule's
# property test, a template's text) asks nothing of PostgreSQL that the SQLite run has not answered, so running it
# twice only spends CI's time. `HELSEPORTAL_TEST_ALL=1` runs everything anyway.
_USES_THE_DATABASE = ("db", "transactional_db", "live_server")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"] or os.environ.get("HELSEPORTAL_TEST_ALL") == "1":
        return
    kept, left = [], []
    for item in items:
        marked = item.get_closest_marker("django_db") is not None
        uses = marked or any(name in getattr(item, "fixturenames", ()) for name in _USES_THE_DATABASE)
        (kept if uses else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


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


@pytest.fixture(scope="session")
def _audit_checkpoint_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("audit-checkpoints")


@pytest.fixture(autouse=True)
def audit_checkpoints(request: pytest.FixtureRequest, _audit_checkpoint_dir: Path) -> Iterator[Path]:
    """Each test its own empty store of signed audit checkpoints (ADR 0015): the store lives outside the database,
    so the test's rollback would not empty it, and one test's checkpoints would not match the next test's chain."""
    from django.test import override_settings

    path = _audit_checkpoint_dir / f"{abs(hash(request.node.nodeid)):x}.jws"
    path.unlink(missing_ok=True)
    with override_settings(HELSEPORTAL_AUDIT_CHECKPOINTS=str(path)):
        yield path
