from django.apps import AppConfig


class SmartConfig(AppConfig):
    name = "helseportal.smart"
    label = "smart"

    def ready(self) -> None:
        from helseportal.access.audit.clients import register_client_names
        from helseportal.fhir import provider
        from helseportal.smart.queries import bearer_check, client_active, client_name  # (the models: once loaded)

        # The log names the API client that read her data: a citizen's app by the name it was registered with.
        register_client_names(client_name)
        # A disabled or removed client is told nothing more (its subscriptions' deliveries ask).
        provider.set_client_check(client_active)
        # The FHIR API's hot read sends the token's check in its one statement (fhir/api/hot.py).
        provider.set_bearer_check(bearer_check)
