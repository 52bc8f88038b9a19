"""Usage statistics without watching anyone (issue 13).

What happened is counted, never who did it: a page view of a service, a message sent, an appointment booked, a login
at an assurance level. Each count is a cell of an aggregate counter (`models.Counter`): the day, the event, the
service, the unit and its municipality, and one configuration the event used (an appointment type, a service kind,
a unit kind). No person, no IP address, no session or cookie is stored or passed in; suppression (`suppression.py`)
shows a cell under 5 as "< 5" wherever a figure leaves the database.

- `services.count(...)`: call it where the thing happens, inside the transaction that makes it; it is counted when
  that transaction commits (never for a rollback), into the process's buffer, written to the table at most every
  `HELSEPORTAL_STATS_FLUSH_SECONDS` (and at exit): one upsert for many events, not a write on every request's hot
  row (ADR 0016).
- `events.py`: the events the portal counts, each with its service.
- `suppression.py`: the one rule for small numbers.
"""
