"""Her forms for the card's fields added in issue 16 that she writes herself: an earlier birth, and a vaccine she
got in the pregnancy, also one given elsewhere (a pharmacy), shown on the card as self-reported. Her birth plan
and the co-parent are card sections (views/card.py)."""

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from helseportal.pregnancy.views.entry_pages import EARLIER_BIRTH, VACCINATION, her_page

earlier_birth = her_page(EARLIER_BIRTH)
vaccination = her_page(replace(VACCINATION, title=_("Registrer en vaksine du har fått")))
