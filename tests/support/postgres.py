"""A real PostgreSQL server of the test session's own, in a temporary directory.

Debian's binaries (``initdb``, ``pg_ctl``, ``postgres``) run it: found on PATH or under
``/usr/lib/postgresql/<version>/bin``. PostgreSQL refuses to run as root, so when the tests run as
root (as CI does) the server runs as the ``postgres`` system user, in a directory it owns. It
listens on 127.0.0.1 on a free port and keeps its unix sockets in the temporary directory, so it
never meets a server already on the machine.

Connections over TCP need a password (scram-sha-256), so tests can also show what a wrong one
does; the local socket trusts its user (for the fixture's own administration).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self
from urllib.parse import quote

SERVER_USER = "postgres"  # the system user that runs the server when the tests run as root
ROLE = "teaserbot"  # the database role the tests connect as
BINARIES = ("initdb", "pg_ctl", "postgres")
_START_TRIES = 3  # a free port may be taken between finding it and the server binding it
_BIN_DIR_GLOB = "/usr/lib/postgresql/*/bin"

# The servers this process runs, and the CPU the stopped ones used (tests/support/cputime.py).
RUNNING: list[PostgresServer] = []
STOPPED_CPU = [0.0]


class PostgresUnavailableError(RuntimeError):
    """The PostgreSQL server binaries are not installed (a reason to skip, not a failure)."""


def find_bin_dir() -> Path:
    """The directory holding initdb, pg_ctl and postgres (PostgresUnavailableError: none does)."""
    on_path = [shutil.which(name) for name in BINARIES]
    if all(on_path):
        return Path(os.path.realpath(str(on_path[0]))).parent
    candidates = sorted(
        (Path(p) for p in _glob(_BIN_DIR_GLOB)),
        key=lambda p: _version_key(p.parent.name),
        reverse=True,
    )
    for directory in candidates:
        if all((directory / name).exists() for name in BINARIES):
            return directory
    raise PostgresUnavailableError(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH or in "
        "/usr/lib/postgresql/*/bin; install them (Debian: apt-get install postgresql)"
    )


def _glob(pattern: str) -> list[str]:
    import glob  # noqa: PLC0415 - only needed when the binaries are not on PATH

    return glob.glob(pattern)


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """One PostgreSQL cluster in a temporary directory; ``start()`` it, ``stop()`` it."""

    bin_dir: Path
    root: Path | None = None
    port: int = 0
    password: str = ""
    # False: commits are acknowledged before their WAL is written (fast); a crash (halt) then
    # loses the latest ones. A test that crashes the server on purpose wants them kept.
    durable_commits: bool = False
    _run_as: pwd.struct_passwd | None = None
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def create(cls) -> Self:
        """A server for the installed binaries, not started (PostgresUnavailableError: none)."""
        return cls(bin_dir=find_bin_dir())

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> Self:
        """Make the cluster and start the server; wait until it accepts connections."""
        self._run_as = _server_user()
        self.root = Path(tempfile.mkdtemp(prefix="teaserbot-pg-"))
        try:
            self._init_cluster()
            self._start_server()
        except BaseException:
            self.stop()
            raise
        RUNNING.append(self)
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its directory."""
        if self.root is None:
            return
        self._account()
        if (self.data / "postmaster.pid").exists():
            self._run(
                ["pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w"], check=False
            )
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def halt(self) -> None:
        """Stop the server at once (``pg_ctl stop -m immediate``: a crash, as for a restart or a
        failover), keeping its data and port for :meth:`resume`."""
        self._account()
        self._run(["pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w"])

    def resume(self) -> None:
        """Start a halted server again on the same port; wait until it accepts connections."""
        self._start_server(port=self.port)
        RUNNING.append(self)

    def _account(self) -> None:
        """Before the server stops: keep the CPU it used (tests/support/cputime.py)."""
        if not any(server is self for server in RUNNING):
            return
        try:
            from tests.support import cputime  # noqa: PLC0415 - only for the CPU figures
        except ImportError:  # a bench without pytest installed
            RUNNING[:] = [server for server in RUNNING if server is not self]
            return
        used = cputime.postgres_cpu()
        RUNNING[:] = [server for server in RUNNING if server is not self]
        STOPPED_CPU[0] += used - cputime.postgres_cpu()

    def postmaster_pid(self) -> int | None:
        """The server's main process (None: not running)."""
        if self.root is None:
            return None
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ access

    @property
    def data(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    @property
    def sockets(self) -> Path:
        assert self.root is not None
        return self.root / "run"

    def url(self, database: str = "postgres", *, password: str | None = None) -> str:
        """A ``postgresql://`` URL for the test role on this server (TCP, with the password)."""
        secret = quote(self.password if password is None else password, safe="")
        return f"postgresql://{ROLE}:{secret}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL as the test role over the local socket; its output, tuples only."""
        out = self._run(
            [
                "psql",
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                str(self.sockets),
                "-p",
                str(self.port),
                "-U",
                ROLE,
                "-d",
                database,
                "-c",
                sql,
            ]
        )
        return out.strip()

    def create_database(self, name: str | None = None) -> str:
        """A new empty database owned by the test role; its URL."""
        name = name or f"t{next(self._names)}"
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"not a plain database name: {name!r}")
        self.psql(f"CREATE DATABASE {name} TEMPLATE template0")
        return self.url(name)

    # ------------------------------------------------------------------ inside

    def _init_cluster(self) -> None:
        assert self.root is not None
        self.sockets.mkdir()
        self.password = secrets.token_urlsafe(16)
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self._run_as is not None:
            for path in (self.root, self.sockets, pwfile):
                os.chown(path, self._run_as.pw_uid, self._run_as.pw_gid)
        self._run(
            [
                "initdb",
                "-D",
                str(self.data),
                "-U",
                ROLE,
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        pwfile.unlink()

    def _start_server(self, *, port: int | None = None) -> None:
        failure = ""
        for _ in range(1 if port else _START_TRIES):
            self.port = port or free_port()
            synchronous = "on" if self.durable_commits else "off"
            options = (
                f"-p {self.port} -h 127.0.0.1 -k {self.sockets} "
                f"-c fsync=off -c synchronous_commit={synchronous} -c full_page_writes=off "
                "-c max_connections=200"
            )
            result = self._run(
                [
                    "pg_ctl",
                    "start",
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.data / "server.log"),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                ],
                check=False,
            )
            if result is not None:
                return
            failure = _tail(self.data / "server.log")
            if "could not bind" not in failure and "in use" not in failure:
                break
        raise RuntimeError(f"the test PostgreSQL server did not start:\n{failure}")

    def _run(self, argv: Sequence[str], *, check: bool = True) -> str | None:
        """Run one of the binaries as the server's user; its stdout (None when it failed)."""
        command = [str(self.bin_dir / argv[0]) if (self.bin_dir / argv[0]).exists() else argv[0]]
        command += list(argv[1:])
        user = self._run_as
        result = subprocess.run(  # noqa: PLW1510 - the status is checked below
            command,
            capture_output=True,
            text=True,
            cwd=self.root,
            user=user.pw_uid if user else None,
            group=user.pw_gid if user else None,
            extra_groups=[] if user else None,
            env={**os.environ, "LC_ALL": "C", "PGPASSWORD": ""},
            timeout=120,
        )
        if result.returncode != 0:
            if check:
                raise RuntimeError(
                    f"{' '.join(argv[:2])} failed ({result.returncode}): "
                    f"{result.stderr.strip() or result.stdout.strip()}"
                )
            return None
        return result.stdout


def _server_user() -> pwd.struct_passwd | None:
    """The user the server runs as: ``postgres`` when we are root, else ourselves (None)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise RuntimeError(
            f"running as root, and there is no {SERVER_USER!r} user to run PostgreSQL as "
            "(initdb refuses root); Debian's postgresql package creates it"
        ) from None


def _tail(path: Path, lines: int = 20) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return "(no server log)"
