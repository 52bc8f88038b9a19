"""Thin views: after login and whom to act for (`acting`), the profile and powers of attorney (`profile`), and the
audit log's page "Hvem har sett opplysningene mine" (`audit`, mounted at /logg/ by `access/urls.py`)."""
