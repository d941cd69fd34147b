"""Print a user's API token for an integrator, creating it if needed:

    python manage.py api_token <username>            # the existing token, or a new one
    python manage.py api_token <username> --rotate   # replace it (the old one stops working)

Tokens can also be seen and deleted in the admin (Auth Token > Tokens). A token acts with exactly
the user's own positions and object permissions, so give integrations a user of their own.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Print (creating it if needed) the API token of a user."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="Replace the user's token with a new one."
        )

    @transaction.atomic
    def handle(self, *args, username, rotate, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive: a token would not work.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
