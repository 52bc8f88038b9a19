from django.apps import AppConfig


class GpConfig(AppConfig):
    name = "helseportal.gp"
    label = "gp"

    def ready(self) -> None:
        from helseportal.gp import services
        from helseportal.organisations import gp_register

        gp_register.on_filled(services.waiting_list_filled)  # an automatic switch is audited, with a receipt
