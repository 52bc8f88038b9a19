"""Background work for appointments.

The reminder the day before, and the notices of an answer, a change or a cancellation, are queued through
`helseportal.notify` inside the service's own transaction (`notify(..., run_after=..., key=...)`), and notify's
task sends them after the commit, with retries. A reminder's key is `appointment-reminder:<appointment id>`;
`services.cancel()` withdraws it with `cancel_pending(key)`.

The app has no task of its own yet. When it gets one (say, a booking pushed to the unit's record system), it
goes here as a `django.tasks` `@task` taking plain ids, never model instances or personal data.
"""
