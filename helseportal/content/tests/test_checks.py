"""Django's system checks, which pytest does not run: on PostgreSQL, Wagtail's search needs contrib.postgres."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_system_checks_pass_on_this_database():
    call_command("check", databases=["default"], fail_level="ERROR")
