"""SPARQL endpoints: push an export to any Graph Store Protocol endpoint, or serve one locally.

``push`` speaks SPARQL 1.1 Graph Store HTTP Protocol, so it loads Oxigraph, Fuseki, GraphDB or
Virtuoso alike: PUT replaces the target graph, POST merges into it. ``serve`` runs the Oxigraph
server (the ``oxigraph`` package ships it) read-only on 127.0.0.1 over a store loaded with the
export.
"""

from __future__ import annotations

import logging
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError
from kg.export.files import turtle_export

log = logging.getLogger(__name__)


def push(data: Path, endpoint: str, graph: str | None = None, replace: bool = True, timeout: float = 300.0) -> int:
    """Send ``data/graph.ttl`` to the Graph Store endpoint; returns the bytes sent."""
    turtle = turtle_export(data)
    target = f"{endpoint}{'&' if '?' in endpoint else '?'}" + (
        urllib.parse.urlencode({"graph": graph}) if graph else "default"
    )
    body = turtle.read_bytes()
    request = urllib.request.Request(
        target, data=body, method="PUT" if replace else "POST", headers={"Content-Type": "text/turtle; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as err:
        detail = err.read()[:300].decode(errors="replace").strip()
        raise KGError(f"{endpoint} refused the upload: HTTP {err.code} {detail}") from None
    except (urllib.error.URLError, OSError) as err:
        raise KGError(f"cannot reach the Graph Store endpoint {endpoint}: {getattr(err, 'reason', err)}") from None
    return len(body)


def oxigraph_binary() -> str:
    """The ``oxigraph`` server executable installed with kg (PyPI package ``oxigraph``)."""
    found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if not found:
        raise KGError("the Oxigraph server is not installed: pip install oxigraph")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class OxigraphServer:
    """A running Oxigraph server on 127.0.0.1; stop() ends it and removes its temporary store."""

    process: subprocess.Popen
    port: int
    store_dir: Path | None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def store_url(self) -> str:
        return f"{self.url}/store"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.store_dir is not None:
            shutil.rmtree(self.store_dir, ignore_errors=True)

    def __enter__(self) -> OxigraphServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def start_oxigraph(port: int | None = None, data: Path | None = None, read_only: bool = False) -> OxigraphServer:
    """Start Oxigraph on 127.0.0.1: in memory and writable, or read-only over ``data``'s export."""
    binary = oxigraph_binary()
    port = port or free_port()
    store_dir = None
    if data is not None:
        turtle = turtle_export(data)
        store_dir = Path(tempfile.mkdtemp(prefix="kg-oxigraph-"))
        loaded = subprocess.run(
            [binary, "load", "--location", str(store_dir), "--file", str(turtle)], capture_output=True, text=True
        )
        if loaded.returncode != 0:
            shutil.rmtree(store_dir, ignore_errors=True)
            raise KGError(f"Oxigraph could not load {turtle}: {loaded.stderr.strip()[-300:]}")
        command = [binary, "serve-read-only" if read_only else "serve", "--location", str(store_dir)]
    else:
        command = [binary, "serve"]
    process = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    server = OxigraphServer(process, port, store_dir)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            server.stop()
            raise KGError(f"Oxigraph stopped at start: {process.stderr.read().strip()[-300:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise KGError(f"Oxigraph did not answer on 127.0.0.1:{port} within 30 s")
