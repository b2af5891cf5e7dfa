# syntax=docker/dockerfile:1
# Build stage: install teaserbot and its dependencies into a virtual environment.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN python -m venv /opt/venv && /opt/venv/bin/pip install .

# Run stage: the venv only, as a non-root user, with the database on a volume.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATABASE_PATH=/data/teaserbot.sqlite3
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin teaserbot \
    && mkdir -p /data && chown teaserbot /data
COPY --from=build /opt/venv /opt/venv
USER teaserbot
WORKDIR /data
VOLUME ["/data"]
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
