"""Reads in identity that are not the population register's (`register.py`)."""

from django.contrib.auth.models import User
from django.db.models import QuerySet

from helseportal.identity.models import StaffAccount


def staff_accounts() -> QuerySet[StaffAccount]:
    """Every HPR number with access to /cms/ and /admin/, with its Django user, by HPR number."""
    return StaffAccount.objects.select_related("user").order_by("hpr_number")


def staff_user(hpr_number: str) -> User | None:
    """The active Django user an operator linked to this HPR number (`helseportal staff grant`), if any."""
    account = StaffAccount.objects.select_related("user").filter(hpr_number=hpr_number).first()
    return account.user if account is not None and account.user.is_active else None
