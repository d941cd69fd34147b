from django.apps import AppConfig


class FaultsConfig(AppConfig):
    name = "tests.faults.app"
    label = "faults"

    def ready(self) -> None:
        from .stall import install

        # In a worker this runs before the pool forks, so every child inherits the hook.
        install()
