"""The task the worker runs for each delivery."""

from django.tasks import task

from helseportal.notify import sending


@task
def send_delivery(delivery_id: int) -> None:
    sending.send(delivery_id)
