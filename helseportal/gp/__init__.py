"""Bytte fastlege (issue 12, item 3): her GP, the lists she may choose from, the switch and the waiting list.

The GP register is the one that knows and decides (`organisations.gp_register`: the Protocol, the local fake and
the read-only client of the real one; `organisations.gp_rules`: the rules as data with their sources). This app is
the citizen's side of it:

- `queries.py`: what the pages read from the register, for the person acted for, audited.
- `services.py`: the switch, joining and leaving a waiting list: asked of `access` (to change, `write=True`),
  done by the register, audited in the same transaction, with a receipt in Meldinger (`messaging.send_receipt`).
- `views.py`, `forms.py`, `urls.py`, `templates/gp/`: the pages at /fastlege/.

It sits beside `records` in the layers (above the services): the receipt goes through `messaging`. See
docs/gp-switch.md.
"""
