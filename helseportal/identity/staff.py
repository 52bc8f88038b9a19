"""Editors and administrators: a Django user for /cms/ and /admin/, reached only through HelseID.

Neither admin has a password login (issue 15 item 11: no password rules, no lockout, no second factor).
An operator links an HPR number to a Django user (`helseportal staff grant`); HelseID at security level 4 with
that number then logs the Django user in too, in the same session, so logging out ends both.
"""

from django.contrib.auth import get_user_model, login
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest

from helseportal.core.actor import Actor
from helseportal.identity.models import Practitioner, StaffAccount
from helseportal.identity.signals import staff_access_changed

BACKEND = "django.contrib.auth.backends.ModelBackend"


class StaffError(ValueError):
    """The grant cannot be made; the message says why (for the operator, in English)."""


def grant(
    hpr_number: str, *, superuser: bool = False, django_admin: bool = False, groups: tuple[str, ...] = ()
) -> AbstractBaseUser:
    """Give the practitioner with this HPR number a Django user in these groups; return the user.

    Wagtail's admin opens to a group with its access permission (Innholdsredaktører); Django's admin only to
    `django_admin` users (is_staff) and superusers.
    """
    if not hpr_number.isdigit() or len(hpr_number) > 9:
        raise StaffError(f"{hpr_number!r} is not an HPR number (up to nine digits)")
    found = {g.name: g for g in Group.objects.filter(name__in=groups)}
    missing = [name for name in groups if name not in found]
    if missing:
        raise StaffError(f"no such group: {', '.join(missing)}")
    practitioner = Practitioner.objects.filter(hpr_number=hpr_number).first()
    with transaction.atomic():
        user, _created = get_user_model().objects.get_or_create(username=f"hpr-{hpr_number}")
        user.is_active = True
        user.is_staff = superuser or django_admin
        user.is_superuser = superuser
        if practitioner:
            user.first_name, user.last_name = practitioner.given_name, practitioner.family_name
        user.set_unusable_password()  # nothing to guess: the way in is HelseID
        user.save()
        user.groups.set(found.values())
        StaffAccount.objects.update_or_create(hpr_number=hpr_number, defaults={"user": user})
        kind = "superuser" if superuser else "django-admin" if django_admin else "cms"
        detail = f"{kind}: {', '.join(sorted(found))}" if found else kind
        staff_access_changed.send("grant", hpr_number=hpr_number, detail=detail)  # access writes the audit record
    return user


def revoke(hpr_number: str) -> bool:
    """Take the access away: the user is kept (for the admin's history) but can no longer log in."""
    account = StaffAccount.objects.select_related("user").filter(hpr_number=hpr_number).first()
    if account is None:
        return False
    with transaction.atomic():
        account.user.is_active = False
        account.user.save(update_fields=["is_active"])
        account.delete()
        staff_access_changed.send("revoke", hpr_number=hpr_number, detail="")
    return True


def log_in_staff(request: HttpRequest, actor: Actor) -> bool:
    """After a HelseID login at level 4: log in the practitioner's Django user, if an operator granted one."""
    if not actor.is_practitioner or not actor.hpr_number:
        return False
    account = StaffAccount.objects.select_related("user").filter(hpr_number=actor.hpr_number).first()
    if account is None or not account.user.is_active:
        return False
    login(request, account.user, backend=BACKEND)
    return True
