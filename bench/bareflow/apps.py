from django.apps import AppConfig


class BareflowConfig(AppConfig):
    name = "bench.bareflow"
    label = "bareflow"
