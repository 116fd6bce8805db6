from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jxc.api"
    label = "api"
