from django.core.management.base import BaseCommand

from workflow.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Create the demo district, units, sections and one user per role; print their logins."

    def handle(self, *args, **options):
        logins = demo_seed()
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(f"  {login.username:<18} {login.name:<6} {login.role}  {login.where}")
