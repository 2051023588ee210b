"""What the tests of a real `onrecord serve` share: a free loopback port, a database
holding one short article, and the server as a subprocess, ready when it says so."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ONRECORD = shutil.which("onrecord", path=str(Path(sys.executable).parent))
DOCKERS = (
    "Dockers strike\n\n“We cannot afford a long stoppage,” Port director Paul "
    "Reyes told the Harbour Gazette."
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_with_one_article(db: str) -> str:
    """``db`` (a path or URL), holding the port director's one statement."""
    from onrecord import extract
    from onrecord.store import Store

    with Store(db) as store:
        store.add(
            extract(
                DOCKERS,
                url="https://gazette.test/1",
                outlet="Harbour Gazette",
                published="2024-03-11",
            )
        )
    return db


@dataclass
class Served:
    base: str
    port: int
    process: subprocess.Popen

    def rss_mb(self) -> float:
        """The server process's resident memory."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")

    def healthy(self) -> bool:
        """It still finds the port director's statement."""
        import httpx

        return httpx.get(self.base + "/api/search?q=stoppage", timeout=5).status_code == 200


@contextlib.contextmanager
def serve(db: str, token: str | None = None, log: Path | None = None) -> Iterator[Served]:
    """`onrecord serve --db DB` on a free port, once it has said it is serving; its
    stderr goes to ``log`` (else it is read only up to that line)."""
    port = free_port()
    env = {**os.environ, "ONRECORD_API_TOKEN": token or ""}
    with contextlib.ExitStack() as stack:
        err = stack.enter_context(log.open("w+")) if log is not None else subprocess.PIPE
        process = subprocess.Popen(
            [ONRECORD, "serve", "--db", db, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            text=True,
            start_new_session=True,
        )
        try:
            _wait_for_announcement(process, log)
            yield Served(f"http://127.0.0.1:{port}", port, process)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_for_announcement(process: subprocess.Popen, log: Path | None) -> None:
    import time

    import pytest

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if log is None:
            line = process.stderr.readline()
        else:
            lines = log.read_text().splitlines()
            line = lines[0] if lines else ""
        if line.startswith("onrecord: serving "):
            if log is None:  # keep the pipe drained: a full one would stall the server
                threading.Thread(target=process.stderr.read, daemon=True).start()
            return
        if process.poll() is not None:
            pytest.fail(f"onrecord serve stopped: {line}")
        if log is not None:
            time.sleep(0.05)
    pytest.fail("onrecord serve did not start")
