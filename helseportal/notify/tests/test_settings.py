"""Production refuses the fake senders; dev and test use them."""

import os
import subprocess
import sys

from django.conf import settings

from tests.test_production_settings import SAFE

PRODUCTION = dict(SAFE)  # the safe production settings, with the audit log's key and checkpoint store


def check(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION and not k.startswith("HELSEPORTAL_")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(PRODUCTION)
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-m", "helseportal.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_the_fake_senders() -> None:
    result = check(HELSEPORTAL_NOTIFY_BACKEND="fake")
    assert result.returncode == 2
    assert "HELSEPORTAL_NOTIFY_BACKEND=real" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_sends_for_real_by_default() -> None:
    result = check()
    assert result.returncode == 0, result.stderr


def test_an_unknown_backend_is_refused_everywhere() -> None:
    result = check(HELSEPORTAL_ENV="test", HELSEPORTAL_NOTIFY_BACKEND="pigeon")
    assert result.returncode != 0
    assert "HELSEPORTAL_NOTIFY_BACKEND must be fake or real" in result.stderr


def test_tests_use_the_fakes() -> None:
    assert settings.HELSEPORTAL_NOTIFY_BACKEND == "fake"
