"""The server's memory under an oversize upload: `onrecord serve` receives a chunked
POST /api/articles of MB megabytes with no Content-Length, with and without the token.

    .venv/bin/python benchmarks/web_attack.py --db DB [--mb 300] [--onrecord PATH]

For each case it prints how much was sent before the server answered, the answer, and
the server process's resident memory before, at its peak while the body arrived, and
after.  DB is any statement database (it is only read); `--onrecord` picks the
executable, so that an older onrecord can be measured the same way.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

TOKEN = "attack-benchmark-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_until_up(port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                sock.sendall(b"GET /api/search?limit=1 HTTP/1.1\r\nHost: b\r\n\r\n")
                if sock.recv(12).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit("error: onrecord serve did not start")


def attack(port: int, megabytes: int, with_token: bool) -> tuple[int, str]:
    """Send the chunked body until the server answers or all is sent: (MB sent, answer)."""
    auth = f"Authorization: Bearer {TOKEN}\r\n" if with_token else ""
    piece = b"a" * (1 << 20)
    sent = 0
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(
            (
                "POST /api/articles HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\n"
                f"{auth}Transfer-Encoding: chunked\r\n\r\n"
            ).encode()
        )
        try:
            sock.sendall(b'a\r\n{"text": "\r\n')
            while sent < megabytes << 20:
                if select.select([sock], [], [], 0)[0]:
                    break  # the server has answered before the end
                sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
                sent += len(piece)
            else:
                sock.sendall(b'2\r\n"}\r\n0\r\n\r\n')
        except OSError:
            pass  # the server answered and closed
        sock.settimeout(300)
        try:
            answer = sock.recv(200).split(b"\r\n")[0].decode("latin-1")
        except OSError as exc:
            answer = f"no answer ({exc})"
    return sent >> 20, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--mb", type=int, default=300)
    parser.add_argument("--onrecord", default=str(Path(sys.executable).parent / "onrecord"))
    args = parser.parse_args()
    for with_token in (False, True):
        port = free_port()
        server = subprocess.Popen(
            [args.onrecord, "serve", "--db", args.db, "--port", str(port)],
            env={**os.environ, "ONRECORD_API_TOKEN": TOKEN},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_until_up(port)
            time.sleep(8)  # an extraction worker, where there is one, finishes loading
            before = rss_mb(server.pid)
            peak = [before]
            done = threading.Event()

            def watch(peak=peak, done=done, pid=server.pid) -> None:
                while not done.is_set():
                    peak[0] = max(peak[0], rss_mb(pid))
                    time.sleep(0.05)

            threading.Thread(target=watch, daemon=True).start()
            sent, answer = attack(port, args.mb, with_token)
            time.sleep(1)
            done.set()
            after = rss_mb(server.pid)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        case = "with the token" if with_token else "without a token"
        print(
            f"{case:<16} sent {sent:>4} MB, answer {answer!r}; server RSS {before:.0f} MB "
            f"before, peak {peak[0]:.0f} MB, after {after:.0f} MB"
        )


if __name__ == "__main__":
    main()
