from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Values every base template needs: contact details and whether the dev identity provider is on."""
    return {
        "contact_email": settings.HELSEPORTAL_CONTACT_EMAIL,
        "contact_phone": settings.HELSEPORTAL_CONTACT_PHONE,
        "dev_idp_enabled": settings.HELSEPORTAL_DEV_IDP,
        "environment": settings.HELSEPORTAL_ENV,
    }
