"""A local Neo4j 5.26 Community server for development and tests, built by Maven on Java 17.

The server is a small Java launcher (``docker/neo4j-server/``) around Neo4j's community DBMS
from Maven Central, with Bolt on 127.0.0.1 only and authentication off. Maven builds it once
into a cache (``ensure_server_built``); ``start_server`` runs it and waits until it is ready;
``serve`` is ``kg neo4j serve``.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import hashlib
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

from kg.errors import KGError

log = logging.getLogger(__name__)

#: The launcher's Maven project, found relative to the repository (it is not packaged).
SERVER_SOURCE_DIR = Path(__file__).resolve().parents[2] / "docker" / "neo4j-server"
MAIN_CLASS = "kg.Neo4jServer"
LAUNCHER_JAR = "kg-neo4j-server.jar"
LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 7687
#: Enough for UNWIND batches of 10k-50k rows; the page cache is fixed at 64 MiB by the launcher.
DEFAULT_HEAP = "1g"
#: The first start on a new data folder takes 5-10 s on 2 cores; a loaded machine needs slack.
DEFAULT_START_TIMEOUT = 180.0
DEFAULT_STOP_TIMEOUT = 30.0
#: Maven's first run downloads about 125 MB from Maven Central.
BUILD_TIMEOUT = 1800.0

REQUIREMENTS = (
    "Java 17 and Maven are needed for `kg neo4j serve`: install them "
    "(Debian: apt-get install openjdk-17-jdk-headless maven)"
)

_READY_LINE = re.compile(r"^bolt://127\.0\.0\.1:(\d+)$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_BUILD_KEY_FILE = ".kg-build-key"
_TAIL_LINES = 40


class Neo4jServerError(KGError):
    """The local Neo4j server cannot be built, started or kept running."""


def default_cache_dir() -> Path:
    """Where the built server lives: ``$KG_CACHE/neo4j-5.26``, else ``~/.cache/kg/neo4j-5.26``."""
    root = os.environ.get("KG_CACHE")
    if root:
        base = Path(root)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "kg"
    return base / "neo4j-5.26"


def find_java() -> str:
    """The ``java`` to run: ``$JAVA_HOME/bin/java`` if set, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("java")
    if not found:
        raise Neo4jServerError(REQUIREMENTS)
    return found


def find_maven() -> str:
    found = shutil.which("mvn")
    if not found:
        raise Neo4jServerError(REQUIREMENTS)
    return found


def java_major_version(java: str) -> int:
    """17 for ``openjdk version "17.0.15"``; 8 for ``"1.8.0_392"``."""
    try:
        result = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except OSError as exc:
        raise Neo4jServerError(f"{REQUIREMENTS} ({java}: {exc.strerror})") from exc
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if not match:
        raise Neo4jServerError(f"{REQUIREMENTS} (cannot tell the version of {java})")
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def check_java(java: str) -> None:
    """Neo4j 5.26 runs on Java 17 and 21."""
    major = java_major_version(java)
    if major < 17:
        raise Neo4jServerError(f"{REQUIREMENTS} ({java} is Java {major})")
    if major > 21:
        log.warning("%s is Java %d; Neo4j 5.26 supports Java 17 and 21", java, major)


def server_source_dir() -> Path:
    """The launcher's Maven project in the repository, or a clear error when kg is installed
    without its repository."""
    if not (SERVER_SOURCE_DIR / "pom.xml").is_file():
        raise Neo4jServerError(
            f"{SERVER_SOURCE_DIR / 'pom.xml'} not found: `kg neo4j serve` builds the server from "
            "the kg repository's docker/neo4j-server/; run it from a clone of the repository "
            "(pip install -e .)"
        )
    return SERVER_SOURCE_DIR


def neo4j_version(source_dir: Path | None = None) -> str:
    """The Neo4j version the pom pins (``5.26.30``)."""
    pom = (source_dir or server_source_dir()) / "pom.xml"
    match = re.search(r"<neo4j\.version>([^<]+)</neo4j\.version>", pom.read_text(encoding="utf-8"))
    if not match:
        raise Neo4jServerError(f"{pom}: no <neo4j.version> property")
    return match.group(1).strip()


def build_key(source_dir: Path) -> str:
    """A hash of the pom and the launcher's sources: a change to either means a rebuild."""
    digest = hashlib.sha256()
    files = [source_dir / "pom.xml", *sorted((source_dir / "src").rglob("*"))]
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(source_dir).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def is_built(build_dir: Path, key: str) -> bool:
    marker = build_dir / _BUILD_KEY_FILE
    return (
        marker.is_file()
        and marker.read_text(encoding="utf-8").strip() == key
        and (build_dir / LAUNCHER_JAR).is_file()
    )


def ensure_server_built(cache_dir: Path | None = None) -> Path:
    """Build the server with Maven unless the cache already holds this pom's build.

    Returns the build folder: ``kg-neo4j-server.jar`` and ``lib/`` (every jar of the server).
    The first build downloads the jars from Maven Central (into Maven's own repository,
    ``~/.m2`` by default) and copies them here; later calls only compare a hash. Concurrent
    callers (two test sessions) wait for one another on a lock file.
    """
    source_dir = server_source_dir()
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    build_dir = cache_dir / "build"
    key = build_key(source_dir)
    if is_built(build_dir, key):
        return build_dir

    mvn = find_maven()
    check_java(find_java())
    cache_dir.mkdir(parents=True, exist_ok=True)
    with _locked(cache_dir / ".lock"):
        if is_built(build_dir, key):
            return build_dir
        # copy-dependencies never deletes, so an old build's jars would stay on the classpath.
        shutil.rmtree(build_dir, ignore_errors=True)
        command = [
            mvn,
            "-B",
            "-q",
            "-Dstyle.color=never",
            "-f",
            str(source_dir / "pom.xml"),
            "package",
            f"-Dkg.buildDirectory={build_dir}",
        ]
        log.info("building the Neo4j server into %s (the first build downloads ~125 MB)", build_dir)
        started = time.monotonic()
        try:
            result = subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=BUILD_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise Neo4jServerError(
                f"Maven did not build the Neo4j server within {BUILD_TIMEOUT:.0f} s: "
                f"{' '.join(command)}"
            ) from exc
        if result.returncode != 0 or not (build_dir / LAUNCHER_JAR).is_file():
            tail = _tail(_ANSI.sub("", result.stdout + result.stderr).splitlines())
            raise Neo4jServerError(
                f"Maven could not build the Neo4j server (exit {result.returncode}): "
                f"{' '.join(command)}\n{tail}"
            )
        (build_dir / _BUILD_KEY_FILE).write_text(key + "\n", encoding="utf-8")
        log.info("built the Neo4j server in %.1f s", time.monotonic() - started)
    return build_dir


def find_free_port() -> int:
    """A TCP port free on 127.0.0.1 now (another process may take it before it is used)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether a server could listen on ``port`` now. SO_REUSEADDR, as servers (Neo4j's
    included) set it: connections of a server just stopped linger in TIME_WAIT for a minute and
    do not keep a new listener out, only a socket still listening does."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


class Neo4jServer:
    """A running server process; ``stop()`` or leaving the ``with`` block ends it."""

    def __init__(
        self,
        process: subprocess.Popen[str],
        command: list[str],
        data_dir: Path | None,
        import_dir: Path | None,
    ) -> None:
        self.process = process
        #: The java command line that started the server.
        self.command = command
        #: The server's home (databases, transaction logs, logs/debug.log); None: a temporary one.
        self.data_dir = data_dir
        #: server.directories.import, the folder LOAD CSV reads; None: DATA/import.
        self.import_dir = import_dir
        #: ``bolt://127.0.0.1:PORT`` once the server is ready.
        self.uri = ""
        self.port = 0
        self._ready = threading.Event()
        self._output: collections.deque[str] = collections.deque(maxlen=200)
        self._reader = threading.Thread(target=self._read_output, name="kg-neo4j-output", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def is_running(self) -> bool:
        return self.process.poll() is None

    def output_tail(self, lines: int = _TAIL_LINES) -> str:
        """The server's last lines of standard output and error."""
        return _tail(list(self._output), lines)

    def wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.1):
            if self.process.poll() is not None:
                self._reader.join(timeout=5)
                raise Neo4jServerError(
                    f"the Neo4j server exited with code {self.process.returncode} before it was "
                    f"ready:\n{self.output_tail()}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise Neo4jServerError(
                    f"the Neo4j server was not ready within {timeout:.0f} s:\n{self.output_tail()}"
                )

    def stop(self, timeout: float = DEFAULT_STOP_TIMEOUT) -> int:
        """SIGTERM (a clean shutdown: databases checkpointed), then SIGKILL after ``timeout``.

        Returns the exit code; calling it again is harmless.
        """
        if self.process.poll() is None:
            log.debug("stopping the Neo4j server (pid %d)", self.process.pid)
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning(
                    "the Neo4j server (pid %d) did not stop within %.0f s; killing it",
                    self.process.pid,
                    timeout,
                )
                self.process.kill()
                self.process.wait()
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        self._reader.join(timeout=5)
        return self.process.returncode

    def __enter__(self) -> Neo4jServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.is_running() else f"exited {self.process.returncode}"
        return f"<Neo4jServer {self.uri or 'starting'} pid={self.process.pid} {state}>"

    def _read_output(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.rstrip("\n")
            self._output.append(line)
            match = _READY_LINE.match(line.strip())
            if match and not self._ready.is_set():
                self.port = int(match.group(1))
                self.uri = match.group(0)
                self._ready.set()
            else:
                log.debug("neo4j: %s", line)


def java_command(
    build_dir: Path,
    port: int,
    data_dir: Path | None,
    import_dir: Path | None,
    *,
    java: str = "java",
    heap: str = DEFAULT_HEAP,
    auth: bool = False,
) -> list[str]:
    classpath = os.pathsep.join([str(build_dir / LAUNCHER_JAR), str(build_dir / "lib" / "*")])
    command = [
        java,
        f"-Xmx{heap}",
        # A development server that runs out of memory should end loudly, not limp on.
        "-XX:+ExitOnOutOfMemoryError",
        "-Dfile.encoding=UTF-8",
        "-cp",
        classpath,
        MAIN_CLASS,
        "--port",
        str(port),
        "--stop-on-stdin-eof",
    ]
    if data_dir is not None:
        command += ["--data", str(data_dir)]
    if import_dir is not None:
        command += ["--import-dir", str(import_dir)]
    if auth:
        command.append("--auth")
    return command


def start_server(
    port: int = DEFAULT_PORT,
    data_dir: Path | str | None = None,
    import_dir: Path | str | None = None,
    *,
    cache_dir: Path | None = None,
    heap: str = DEFAULT_HEAP,
    timeout: float = DEFAULT_START_TIMEOUT,
    auth: bool = False,
) -> Neo4jServer:
    """Start the server on 127.0.0.1:``port`` and return once it accepts Bolt connections.

    ``port`` 0 lets the server pick a free port (read it from ``.uri``). Without ``data_dir``
    the databases live in a temporary folder deleted when the server stops. ``import_dir``
    is the folder LOAD CSV may read (default DATA/import). ``auth`` turns authentication on
    (user neo4j, whose password neo4j must be changed before any query): a server that refuses
    credentials as a deployed one does, for tests. Builds the server first if needed.
    """
    build_dir = ensure_server_built(cache_dir)
    java = find_java()
    check_java(java)
    if port and not port_is_free(port):
        raise Neo4jServerError(
            f"port {port} on {LOOPBACK} is already in use (another Neo4j?): choose another with --port"
        )
    data = Path(data_dir).resolve() if data_dir is not None else None
    imports = Path(import_dir).resolve() if import_dir is not None else None
    command = java_command(build_dir, port, data, imports, java=java, heap=heap, auth=auth)
    log.info("starting Neo4j: %s", " ".join(command))
    process = subprocess.Popen(
        command,
        # The server reads its stdin only to notice EOF: it stops when this process is gone.
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        # Its own session: a Ctrl-C at the terminal reaches only us, and we stop it in order.
        start_new_session=True,
    )
    server = Neo4jServer(process, command, data, imports)
    try:
        server.wait_until_ready(timeout)
    except BaseException:
        server.stop()
        raise
    log.info("Neo4j is ready at %s (pid %d)", server.uri, server.pid)
    return server


def serve(
    port: int = DEFAULT_PORT,
    data_dir: Path | str | None = None,
    import_dir: Path | str | None = None,
    *,
    echo: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
) -> int:
    """``kg neo4j serve``: run the server until SIGINT or SIGTERM, then stop it cleanly.

    The one function here that talks to the user: ``echo`` (default: print to stdout) gets
    the Bolt URI and the loopback/no-authentication notice. Returns the exit code for the CLI.
    """
    say = echo or _print
    if not is_built((cache_dir or default_cache_dir()) / "build", build_key(server_source_dir())):
        say("Building the Neo4j server with Maven (once; the first build downloads ~125 MB)...")
    # A Ctrl-C while starting interrupts the build or the wait; start_server cleans up.
    server = start_server(port, data_dir, import_dir, cache_dir=cache_dir)
    stop_requested = threading.Event()
    # Handlers outermost: a second Ctrl-C must not interrupt the clean stop (stop() kills
    # the server itself if it hangs).
    with _handling_stop_signals(stop_requested), server:
        where = (
            f"data in {server.data_dir}"
            if server.data_dir
            else "data in a temporary folder, deleted when it stops (--data DIR keeps it)"
        )
        say(server.uri)
        say(f"Neo4j {neo4j_version()} Community, {where}.")
        say(
            f"Listening on {LOOPBACK} only, with authentication disabled: connect with "
            "no user or password. Stop with Ctrl-C."
        )
        while not stop_requested.is_set():
            if server.process.poll() is not None:
                raise Neo4jServerError(
                    f"the Neo4j server exited with code {server.process.returncode}:\n"
                    f"{server.output_tail()}"
                )
            stop_requested.wait(0.5)
        say("Stopping Neo4j...")
    say("Neo4j stopped.")
    return 0


def _print(text: str) -> None:
    print(text, flush=True)  # noqa: T201 - serve() is the CLI's voice


@contextlib.contextmanager
def _handling_stop_signals(stop_requested: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop_requested`` instead of interrupting, so the server is
    always stopped in order; the previous handlers come back afterwards."""

    def request_stop(signum: int, frame: object) -> None:
        stop_requested.set()

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _tail(lines: list[str], count: int = _TAIL_LINES) -> str:
    kept = [line for line in lines if line.strip()][-count:]
    return "\n".join(f"  {line}" for line in kept) if kept else "  (no output)"


__all__ = [
    "DEFAULT_PORT",
    "Neo4jServer",
    "Neo4jServerError",
    "default_cache_dir",
    "ensure_server_built",
    "find_free_port",
    "neo4j_version",
    "serve",
    "start_server",
]
