"""Production settings for the backup and restore test, with two differences that concern
neither the database nor the files a backup holds:

- static files: production serves them through the manifest `collectstatic` writes at deployment
  (part of the image, not of a backup), and a test must not write into the checkout;
- password hashing: at production strength each hash costs about half a second, and the demo seed
  sets fifteen passwords. Logging in on the restored copy still proves the hashes came back.
"""

from config.settings.production import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
