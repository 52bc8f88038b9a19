"""Background work for the usage statistics: sum each closed month's daily counters into `MonthlyCounter`.

`roll_up_months` runs in the task worker (django-tasks-db, as notify's and access's tasks do), never in a request: a
dashboard read only reads (`queries.cells`: a month without its sum is read from its daily rows). It is enqueued by
the counting buffer's flush (`services.flush`): once per process when a month closes (`queries.last_closed` moved on),
and whenever a flush writes a count into a closed month, whose sum the flush has dropped in its own transaction
(`queries.forget`), so a late count shows at once and is in the month's sum again after the next run. Idempotent:
a month already summed is skipped (`RolledUpMonth` is unique), so two processes enqueuing it is harmless.
"""

from django.tasks import task

from helseportal.stats import queries


@task
def roll_up_months() -> int:
    """Sum every closed month that has daily counters and no sum yet; return how many months were summed."""
    months = queries.unsummed()
    queries.roll_up(months)
    return len(months)
