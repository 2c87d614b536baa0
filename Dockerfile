# The portal's image: one image, three entry points (see compose.yaml and README, "Docker"):
#   web     gunicorn lms.wsgi:application          (the default command)
#   worker  python manage.py db_worker             (background tasks: certificate PDFs, index updates)
#   migrate python manage.py migrate --noinput     (once per release, before web and worker)
# Multi-stage: the build stage installs the requirements into a virtualenv; the runtime stage copies it with the
# libraries WeasyPrint needs (Pango, HarfBuzz with its subsetter, fonts), runs as an unprivileged user, and has no
# compiler. Static files are collected at build time (whitenoise serves them).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.txt .
RUN python -m venv /venv && /venv/bin/pip install --no-compile -r requirements.txt

FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=lms.settings \
    MEDIA_ROOT=/data/media \
    CERTIFICATE_SIGNING_KEY_FILE=/data/keys/certificate-signing-key.pem
# WeasyPrint renders certificates with Pango and subsets their fonts with HarfBuzz; DejaVu covers Cyrillic.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core shared-mime-info \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app \
    && mkdir -p /data/media /data/keys \
    && chown -R app:app /data
COPY --from=build /venv /venv
WORKDIR /app
COPY --chown=app:app . .
# Collecting static files reads the settings, which need a key and a database address (never connected to here).
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret-0123456789-0123456789-0123456789 \
    DATABASE_URL=postgres://build@127.0.0.1:1/none \
    python manage.py collectstatic --noinput --verbosity 0
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000
# Liveness for `docker run`; a load balancer should poll /readyz (database, cache and queue).
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["gunicorn", "lms.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
