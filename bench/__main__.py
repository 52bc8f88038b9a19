"""Run every benchmark case: `make bench` (or `uv run python -m bench`)."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helseportal.settings")
os.environ.setdefault("HELSEPORTAL_ENV", "test")


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host name and in-memory mail
    settings.ROOT_URLCONF = "bench.urls"
    from bench import cases

    for case in cases.ALL:
        print(case().line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
