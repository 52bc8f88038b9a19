"""What a patient can do when the deadline for health care has passed (*fristbrudd*), as the pages say it.

In our own words, from Helfo's and Helsenorge's pages (read 2026-12-05):

- helsenorge.no, «Dine rettigheter ved fristbrudd» (Helfo):
  https://www.helsenorge.no/rettigheter/dine-rettigheter-ved-fristbrudd: when the deadline passes without care,
  Helfo can find her a place elsewhere; the hospital must tell Helfo, and if she believes it has not, she can call
  Helfo's Fristbruddtelefonen, 23 32 70 03 (weekdays 9–14); travel costs are refunded; if she would rather wait,
  she stays on the hospital's waiting list.
- helfo.no, «Pasienten varsler fristbrudd selv»: https://www.helfo.no/fristbrudd/pasienten-varsler-fristbrudd-selv
  (the same number; Helfo then contacts the hospital and, if it cannot offer care soon, finds another place).
- The right itself: pasient- og brukerrettighetsloven § 2-2 (https://lovdata.no/lov/1999-07-02-63/§2-2).
"""

PHONE = "23 32 70 03"  # Helfo's Fristbruddtelefonen (helsenorge.no and helfo.no, above)
PHONE_HREF = "tel:+4723327003"
HOURS_FROM, HOURS_TO = "9", "14"  # mandag–fredag, as helsenorge.no says (read 2026-12-05)
SOURCE_URL = "https://www.helsenorge.no/rettigheter/dine-rettigheter-ved-fristbrudd"
HELFO_URL = "https://www.helfo.no/fristbrudd/pasienten-varsler-fristbrudd-selv"
READ_ON = "05.12.2026"
