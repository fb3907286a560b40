# The web app for Fly.io. Migrations run as fly.toml's release_command; settings come from Fly secrets/env.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    APP_ENV=prod \
    PORT=8080 \
    TZ=Europe/London

# The time zone data, so that "today" is the day in Wales (closing dates, verification expiry).
RUN apt-get update && apt-get install -y --no-install-recommends tzdata && rm -rf /var/lib/apt/lists/*

WORKDIR /srv
COPY pyproject.toml README.md babel.cfg ./
COPY app ./app
COPY search ./search
# Editable install keeps the code at /srv, where it finds templates/, static/ and migrations/.
RUN pip install -e . && pybabel compile -d app/locale
COPY templates ./templates
COPY static ./static
COPY migrations ./migrations

RUN useradd --system --uid 10001 --no-create-home cyfle
USER cyfle
EXPOSE 8080
CMD ["python", "-m", "app", "serve"]
