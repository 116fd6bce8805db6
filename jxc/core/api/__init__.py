"""The API conventions every app's ``api.py`` builds on: authentication, the active
organization, module permissions, the error body, pagination, Excel export and idempotency."""
