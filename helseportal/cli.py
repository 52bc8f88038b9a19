"""The `helseportal` command: Django's management commands under the project's own name."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helseportal.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # Unsafe production settings end here: one clear line, no traceback.
        print(f"helseportal: {error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
