# syntax=docker/dockerfile:1
# teaserbot: docker build -t teaserbot . && docker run --env-file .env -v teaserbot-data:/data teaserbot
# (or `docker compose up -d` with compose.yaml). The database lives on the /data volume.

# Build stage: install teaserbot and its dependencies into a virtual environment, the same way
# the README's quick start does (`python3 -m venv … && pip install -q .` from a checkout).
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install -q --no-cache-dir .

# Run stage: the virtual environment only (no compilers, no sources), as a non-root user.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_PATH=/data/teaserbot.sqlite3 \
    METRICS_PORT=9090 \
    METRICS_LISTEN=0.0.0.0
RUN groupadd --system --gid 10001 teaserbot \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin teaserbot \
    && mkdir -p /data \
    && chown teaserbot:teaserbot /data
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
# 9090: Prometheus /metrics and /healthz; 8443: webhook mode (WEBHOOK_URL), when used.
EXPOSE 9090 8443
# Asks the bot's own /healthz (503 when polling or delivery has stalled).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "healthcheck"]
# SIGTERM (docker stop): the message being sent finishes and the bot exits within 10 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
