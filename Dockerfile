# Lotse as a container image. Built in two stages: wheels are compiled in a builder, the runtime image holds
# only Python, the installed packages and the code, runs as an unprivileged user and serves with gunicorn.
# (Not built in this project's CI: its machines reach PyPI, Debian and npm, but no container registry.)

ARG PYTHON=3.11

FROM python:${PYTHON}-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY lotse ./lotse
RUN python -m venv /opt/lotse \
 && /opt/lotse/bin/pip install --upgrade pip \
 && /opt/lotse/bin/pip install . \
 && LOTSE_DEMO=true LOTSE_VAR_DIR=/tmp/var STATIC_ROOT=/opt/static /opt/lotse/bin/lotse collectstatic --no-input \
 && LOTSE_DEMO=true LOTSE_VAR_DIR=/tmp/var /opt/lotse/bin/lotse compilemessages

FROM python:${PYTHON}-slim-bookworm
LABEL org.opencontainers.image.title="Lotse" \
      org.opencontainers.image.licenses="EUPL-1.2" \
      org.opencontainers.image.description="Digitalisierungsstrategie, Projekte, OZG und Netzwerk für Kommunen"
# postgresql-client: `lotse backup`/`restore` use pg_dump/pg_restore of the server's major version.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system lotse && useradd --system --gid lotse --home-dir /var/lib/lotse --create-home lotse
COPY --from=build /opt/lotse /opt/lotse
COPY --from=build /opt/static /opt/static
ENV PATH=/opt/lotse/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LOTSE_VAR_DIR=/var/lib/lotse \
    STATIC_ROOT=/opt/static \
    MEDIA_ROOT=/var/lib/lotse/media \
    BEHIND_PROXY=true \
    LOG_FORMAT=json
USER lotse
WORKDIR /var/lib/lotse
VOLUME ["/var/lib/lotse"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz').status != 200)"
# Migrations run once per release (`docker run … lotse migrate`), not on every start of every replica.
CMD ["gunicorn", "lotse.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", \
     "--forwarded-allow-ips", "*", "--max-requests", "2000", "--max-requests-jitter", "200"]
