"""The card's few rules that are not clinical advice (that is `advice/`): whom she may share it with, and who
writes which part of it.

Who writes what (docs/architecture.md, "The pregnancy card"): she writes the sections meant for her
(`sections.Section.woman_may_edit`), her own measurements, symptoms and notes, earlier births and vaccines
(shown as self-reported); health personnel write consultations, SF-mål, tests, due dates, ultrasound, NIPT and
the birth. Each corrects only what their side wrote (`services.mark_in_error`).
"""

from helseportal.access.models import ServiceArea
from helseportal.organisations.models import UnitKind

# The card's service area: what every check of the card asks `access` about.
AREA = ServiceArea.PREGNANCY

# The units whose health personnel may follow a pregnancy, and so whom she may share the card with.
SHARE_WITH_KINDS = (UnitKind.HEALTH_STATION, UnitKind.GP_OFFICE, UnitKind.BIRTH_UNIT, UnitKind.HOSPITAL)

# A typo guard for a fetal heart rate typed in, per minute: not the clinical flag (110–160, `advice.screening`).
FETAL_HEART_RATE_INPUT = (60, 240)
