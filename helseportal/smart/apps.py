from django.apps import AppConfig


class SmartConfig(AppConfig):
    name = "helseportal.smart"
    label = "smart"

    def ready(self) -> None:
        from helseportal.access.audit.clients import register_client_names
        from helseportal.smart.queries import client_name  # imports the models: only once they are loaded

        # The log names the API client that read her data: a citizen's app by the name it was registered with.
        register_client_names(client_name)
