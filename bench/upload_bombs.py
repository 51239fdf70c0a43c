"""Hostile uploads against the site under gunicorn, while a resident's lookup is timed at the same moment.

Usage: python bench/upload_bombs.py [--workers 2] [--bombs 4] [--shared-megabytes 512]
A fresh SQLite database gets the demo data; gunicorn serves the site with sync workers (as `make run`).
Then `--bombs` uploads are posted to /managers at once (half the 1.6 KB workbook declaring A1:XFD1048576,
half a shared-strings bomb inflating to --shared-megabytes), each through its own connection, while
another connection keeps asking /api/v1/lookup. Printed: each upload's answer and time, the lookups'
latency before and during the attack, and the workers' peak memory (VmHWM).
Last line: bombs_max_seconds=0.00 lookup_during_max_ms=0 workers_peak_mb=0
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_lookup import free_port, serve, wait_for  # noqa: E402 -- after the path is set
from tests.helpers.workbooks import dimension_bomb, shared_strings_bomb  # noqa: E402

LOOKUP = "/api/v1/lookup?q=zirmunu%2012a"
REFUSED = "Failas per didelis arba per sudėtingas"


def post_upload(port: int, filename: str, data: bytes) -> tuple[int, float, bool]:
    """GET the form (session + CSRF token), POST the file: (status, seconds for the POST, refused with the message)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/managers/")
    form = conn.getresponse()
    html = form.read().decode()
    cookie = form.getheader("Set-Cookie", "").split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookie}
    started = time.perf_counter()
    conn.request("POST", "/managers/", body=body, headers=headers)
    response = conn.getresponse()
    answer = response.read().decode()
    return response.status, time.perf_counter() - started, REFUSED in answer


def lookups(port: int, until: threading.Event, latencies: list[float]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while not until.is_set():
        started = time.perf_counter()
        conn.request("GET", LOOKUP)
        conn.getresponse().read()
        latencies.append(time.perf_counter() - started)
        time.sleep(0.01)


def worker_peaks_mb(master: int) -> list[float]:
    """Peak resident memory (VmHWM) of the gunicorn master's children, in MB."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", text, re.M):
            peaks.append(int(re.search(r"^VmHWM:\s+(\d+) kB", text, re.M).group(1)) / 1024)
    return peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bombs", type=int, default=4)
    parser.add_argument("--shared-megabytes", type=int, default=512)
    args = parser.parse_args()

    bombs = [("namai.xlsx", dimension_bomb()), ("grafikas.xlsx", shared_strings_bomb(args.shared_megabytes))]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite", "APP_ENV": "development"}
        flask = [str(Path(sys.executable).with_name("flask")), "--app", "wsgi"]
        for command in (["db", "upgrade"], ["demo", "load"]):
            subprocess.run([*flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)
        port = free_port()
        server = serve("wsgi:app", port, args.workers, env)
        try:
            wait_for(port, LOOKUP)
            before: list[float] = []
            for _ in range(50):
                started = time.perf_counter()
                wait_for(port, LOOKUP)
                before.append(time.perf_counter() - started)

            during: list[float] = []
            stop = threading.Event()
            probe = threading.Thread(target=lookups, args=(port, stop, during))
            probe.start()
            results: list[tuple[str, int, int, float, bool]] = [None] * args.bombs

            def attack(i: int) -> None:
                name, data = bombs[i % len(bombs)]
                results[i] = (name, len(data), *post_upload(port, name, data))

            attackers = [threading.Thread(target=attack, args=(i,)) for i in range(args.bombs)]
            for thread in attackers:
                thread.start()
            for thread in attackers:
                thread.join()
            time.sleep(0.3)
            stop.set()
            probe.join()
            peaks = worker_peaks_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(f"gunicorn sync workers: {args.workers}; {args.bombs} uploads at once")
    for name, size, status, seconds, refused in results:
        kind = "A1:XFD1048576" if name == "namai.xlsx" else f"shared strings -> {args.shared_megabytes} MB"
        print(f"  {name} ({size:,} bytes, {kind}): HTTP {status} in {seconds:.3f} s, refused with message: {refused}")
    print(f"lookup before: median {statistics.median(before) * 1000:.0f} ms, max {max(before) * 1000:.0f} ms")
    print(
        f"lookup during: {len(during)} requests, median {statistics.median(during) * 1000:.0f} ms, "
        f"max {max(during) * 1000:.0f} ms"
    )
    print(f"workers' peak memory: {', '.join(f'{p:.0f} MB' for p in peaks)}")
    print(
        f"bombs_max_seconds={max(r[3] for r in results):.2f} lookup_during_max_ms={max(during) * 1000:.0f} "
        f"workers_peak_mb={max(peaks):.0f}"
    )


if __name__ == "__main__":
    main()
