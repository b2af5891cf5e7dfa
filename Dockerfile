# teaserbot: docker build -t teaserbot . && docker run --env-file .env -v teaserbot-data:/data teaserbot
# (or `docker compose up -d` with compose.yaml). The database lives in /data: mount a volume there.
# The build reaches no registry but the Python index: no BuildKit frontend to pull (no `syntax`
# line), no system packages (so no pg_dump: the README says how to back up PostgreSQL).

# Build stage: install teaserbot and its dependencies into a virtual environment, the same way
# the README's quick start does (`python3 -m venv … && pip install -q .` from a checkout).
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install -q --no-cache-dir .
# The region tables built once here and kept beside the package (bot/core/regions/stored.py), so
# each process loads them (~0.1 s) instead of building them (~0.6 s) in the read-only image.
RUN /opt/venv/bin/python -c "from bot.core import regions; \
[regions.classify('Paris', '', (), None, lang) for lang in ('en', 'de', 'es', 'fr', 'pt', 'ru')]"

# Run stage: the virtual environment only (no compilers, no sources), as a non-root user.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_PATH=/data/teaserbot.sqlite3 \
    METRICS_PORT=9090 \
    METRICS_LISTEN=127.0.0.1
# A regular (not --system) user: uid 10001 is above SYS_UID_MAX. A bind-mounted /data must be
# writable by it (`chown -R 10001:10001 DIR` on the host); the bot says so in one line otherwise.
RUN groupadd --gid 10001 teaserbot \
    && useradd --no-log-init --uid 10001 --gid 10001 --no-create-home --home-dir /data \
        --shell /usr/sbin/nologin teaserbot \
    && mkdir -p /data \
    && chown teaserbot:teaserbot /data
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
WORKDIR /data
# No VOLUME: compose.yaml and `docker run -v teaserbot-data:/data` mount one where the SQLite file
# lives; on PostgreSQL (compose.postgres.yaml) /data stays unused and no anonymous volume is left.
# 9090: Prometheus /metrics and /healthz (on 127.0.0.1 unless METRICS_LISTEN=0.0.0.0, which a
# published port needs); 8443: webhook mode (WEBHOOK_URL), when used.
EXPOSE 9090 8443
# Asks the bot's own /healthz (503 when polling or delivery has stalled).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "healthcheck"]
# SIGTERM (docker stop): the message being sent finishes and the bot exits within 10 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
