from django.apps import AppConfig


class GpServicesConfig(AppConfig):
    name = "helseportal.gpservices"
    label = "gpservices"

    def ready(self) -> None:
        from helseportal.gpservices import services  # the models are loaded only now

        services.register()
