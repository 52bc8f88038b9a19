"""Every write in identity, each in one transaction.

identity sits below access and cannot import it. The writes access audits (a login, a refused login, a logout,
an editor's or administrator's access) send a signal (`signals.py`) inside their transaction, and
`access/receivers.py` writes the audit record in that same transaction.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from helseportal.core.actor import Actor
from helseportal.identity import signals
from helseportal.identity.models import FailedLoginCount, LoginSession, Person, Practitioner, StaffAccount
from helseportal.identity.register import population_register

# --- persons and practitioners, as the register and HelseID know them ----------------------------------------


def ensure_person(pid: str) -> Person | None:
    """The Person for `pid`, created or refreshed from the register; None when the register does not know them."""
    entry = population_register().lookup(pid)
    if entry is None:
        return None
    person, _ = Person.objects.update_or_create(
        pid=pid,
        defaults={
            "given_name": entry.given_name,
            "family_name": entry.family_name,
            "street_address": entry.street_address,
            "postcode": entry.postcode,
            "post_place": entry.post_place,
            "municipality_number": entry.municipality_number,
            "address_protection": entry.address_protection,
        },
    )
    return person


def ensure_practitioner(*, hpr_number: str, pid: str, given_name: str, family_name: str) -> Practitioner:
    """The Practitioner with this HPR number, created or refreshed from HelseID's claims."""
    practitioner, _ = Practitioner.objects.update_or_create(
        hpr_number=hpr_number, defaults={"pid": pid, "given_name": given_name, "family_name": family_name}
    )
    return practitioner


# --- logins and logouts ---------------------------------------------------------------------------------------


def log_in(provider: str, actor: Actor, *, issuer: str, sid: str, session_key: str) -> None:
    """Record a login: which of our sessions the provider's session `sid` opened (for front-channel logout), and
    the audit record. The login view holds the outer transaction, which also saves the new session."""
    with transaction.atomic():
        if sid:
            # A session lives at most HELSEPORTAL_SESSION_ABSOLUTE_SECONDS; rows of sessions that expired without a
            # logout are dropped here, so the table holds about the last two hours of logins.
            expired = timezone.now() - datetime.timedelta(seconds=settings.HELSEPORTAL_SESSION_ABSOLUTE_SECONDS)
            LoginSession.objects.filter(created__lt=expired).delete()
            LoginSession.objects.create(issuer=issuer, sid=sid, session_key=session_key)
        signals.login_succeeded.send(sender=provider, actor=actor)


def refuse_login(provider: str, reason: str) -> None:
    """Record a refused login, with its reason code (`throttle.reason_to_record` says whether to)."""
    with transaction.atomic():
        signals.login_failed.send(sender=provider, reason=reason)


def log_out(provider: str | None, actor: Actor, *, session_key: str | None) -> None:
    """Record a logout, and forget which provider session opened this session of ours."""
    with transaction.atomic():
        if actor.is_authenticated:
            signals.logged_out.send(sender=provider, actor=actor)
        if session_key:
            LoginSession.objects.filter(session_key=session_key).delete()


def end_provider_session(issuer: str, sid: str) -> None:
    """Front-channel logout: end every session of ours that the provider's session `sid` opened."""
    store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    with transaction.atomic():
        for login_session in LoginSession.objects.filter(issuer=issuer, sid=sid):
            store(login_session.session_key).delete()
            login_session.delete()


def count_failed_login(source: str, window: int) -> int:
    """Add one to the source's failed logins in this window and return the count; concurrent requests in other
    processes each get their own number."""
    with transaction.atomic():
        counter = FailedLoginCount.objects.filter(source=source, window=window)
        if not counter.update(count=F("count") + 1):
            FailedLoginCount.objects.filter(window__lt=window - 1).delete()  # a new window: drop the old ones
            try:
                with transaction.atomic():
                    FailedLoginCount.objects.create(source=source, window=window, count=1)
                    return 1
            except IntegrityError:  # another request created it first
                counter.update(count=F("count") + 1)
        return int(counter.values_list("count", flat=True).get())


# --- editors and administrators: `helseportal staff grant|revoke` ---------------------------------------------


class StaffError(ValueError):
    """The grant cannot be made; the message says why (for the operator, in English)."""


def grant_staff(
    hpr_number: str, *, superuser: bool = False, django_admin: bool = False, groups: tuple[str, ...] = ()
) -> AbstractBaseUser:
    """Give the practitioner with this HPR number a Django user in these groups; return the user.

    Wagtail's admin opens to a group with its access permission (Innholdsredaktører); Django's admin only to
    `django_admin` users (is_staff) and superusers. Neither has a password login (issue 15 item 11): HelseID at
    security level 4 with this HPR number logs the user in (`identity.views`).
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
        signals.staff_access_changed.send("grant", hpr_number=hpr_number, detail=detail)
    return user


def revoke_staff(hpr_number: str) -> bool:
    """Take the access away: the user is kept (for the admin's history) but can no longer log in."""
    account = StaffAccount.objects.select_related("user").filter(hpr_number=hpr_number).first()
    if account is None:
        return False
    with transaction.atomic():
        account.user.is_active = False
        account.user.save(update_fields=["is_active"])
        account.delete()
        signals.staff_access_changed.send("revoke", hpr_number=hpr_number, detail="")
    return True
