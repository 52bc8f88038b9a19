"""Frikort og egenandeler (issue 12, item 4): the co-payments providers register through the FHIR API (ChargeItem),
added up per calendar year towards the cap (*egenandelstak*); the exemption card (*frikort*) issued when the sum
reaches it, shown and downloadable as a PDF; what was paid above the cap shown as due for refund.

- `caps.py`: the rules as data with their sources (the cap per year, the age under which nobody pays).
- `rules.py`: the year's sum, the card's date and the refund, as pure functions (tested at the edges).
- `services.py`: every write: a provider's co-payment in (idempotent by its identifier; a correction replaces), and
  the card kept in step with the sum (issued, moved, withdrawn), audited and told through `notify`.
- `queries.py`: what a page and the API read. `fhir.py`: the ChargeItem type of the API. `card.py`: the PDF.
See docs/copayments.md.
"""
