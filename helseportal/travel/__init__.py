"""Pasientreiser (issue 12, item 5): a claim for travel to treatment, filled in on the forms engine (the standard rate
without receipts, or expenses with receipts), linked to her appointment that day when there is one; a case with a
status (received, processing, decided, paid), the decision with its reasons, her complaint; a case officer's queue at
the pasientreisekontor.

- `rates.py`: the yearly rates with their sources. `rules.py`: the proposed amount and the case's steps, pure.
- `survey.py`: the Questionnaire's answers as a claim. `services.py`: every write. `queries.py`: every read.
- `views/`: her pages at /pasientreiser/ (`citizen.py`), the office's at /helsepersonell/pasientreiser/ (`staff.py`).
See docs/patient-travel.md.
"""
