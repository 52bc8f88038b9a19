"""The card's forms, one module per audience and part: her own (`woman`), sharing the card (`sharing`), a card
section from its definition (`sections`), the form before the first consultation (`first_form`), the
practitioner's clinical forms (`clinical`) and the fields added in issue 16 (`card_fields`). The field builders
and validators they share are in `fields`.

Bounds catch slips of the finger (a house choice, like `plausibility.py`); they are not clinical limits. Every
error is Norwegian and says what to do.
"""
