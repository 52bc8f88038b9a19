"""Prøvesvar (issue 11 item 2): the lab and imaging results source systems send, on the citizen's pages.

The types are the store's `Observation` and `DiagnosticReport` (`records.kinds`, `records.fhir`); a report's `result`
names its Observations, and the pages show them under it. Every page goes through `records.pages` (who is acted
for, what may be shown, keyset pages, the audit event), in this order:

- `values.py`: what one resource says, read for a person: the analysis, the value and its unit, the reference range,
  and a value outside it marked with text (the source's `interpretation`, else the range), never colour alone;
- `queries.py`: the list by date (grouped by report), the analyses with their latest value, one analysis, one result;
- `chart.py`: an analysis's trend chart, on `helseportal.charts.svg` with the reference range as a band;
- `notices.py`: «Nytt prøvesvar», without content, when a result becomes visible (at receipt, or at the release time
  the source sends: `Record.released`), to whoever `access` lets use `results` for the person;
- `views.py`, `urls.py`: the pages under /provesvar/ (URL names `records:results…`).
"""
