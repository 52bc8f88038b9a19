"""The task the worker runs for each delivery."""

from django.db import transaction
from django.tasks import task

from helseportal.notify import sending


@task
def send_delivery(delivery_id: int) -> None:
    retry_at = sending.send(delivery_id)
    if retry_at is not None:  # a temporary failure: try again after the backoff
        transaction.on_commit(lambda: send_delivery.using(run_after=retry_at).enqueue(delivery_id))
