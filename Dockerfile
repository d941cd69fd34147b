# Production image: gunicorn (web), celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app

# Text recognition (OCR) of scanned attachments on the worker: Tesseract and its Simplified
# Chinese model, Debian's packages (README, "Confidentiality review"). The web and beat processes
# share the image and do not run it.
# Letters in PDF embed a TrueType Chinese font: AR PL UMing (LETTER_PDF_FONTS).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-chi-sim \
       fonts-arphic-uming \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first (cached while only code changes). Every package is pinned with hashes.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

# An unprivileged user; it may write only where the app writes (collected static files, uploads).
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home app \
    && mkdir -p /app/staticfiles /app/media \
    && chown app:app /app/staticfiles /app/media

COPY --chown=root:root . .

USER app

EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
