"""The production shape starts: `collectstatic` with the production settings (whitenoise's
compressed manifest storage) collects and post-processes every static file, so the compose
`web` service gets past it to gunicorn; and every file a template names is in the manifest."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]\s*%\}""")


def test_collectstatic_runs_with_the_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "gongkai.example.gov.cn",
        # collectstatic does not connect; any URL of the right shape will do.
        "DATABASE_URL": "postgres://disclosure@127.0.0.1:5432/disclosure",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("DJANGO_DEBUG", None)

    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    named = {
        name
        for template in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for name in STATIC_TAG.findall(template.read_text(encoding="utf-8"))
    }
    assert named and named <= set(manifest), named - set(manifest)
    assert "admin/css/base.css" in manifest  # the admin's own files too
    for name in named:
        hashed = tmp_path / "static" / manifest[name]
        assert hashed.is_file() and hashed.with_name(hashed.name + ".gz").is_file()
    # viewflow's frontend is not routed: none of its files is collected (config/staticfiles.py)
    assert not any(path.startswith("viewflow/") for path in manifest)
