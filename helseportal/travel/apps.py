from django.apps import AppConfig


class TravelConfig(AppConfig):
    name = "helseportal.travel"
    label = "travel"

    def ready(self) -> None:
        from helseportal.travel import services  # the models are loaded only now

        services.register()
