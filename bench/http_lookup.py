"""HTTP lookup throughput under gunicorn against a bare Flask JSON endpoint, measured in the same run.

Usage: python bench/http_lookup.py [--register DIR] [--queries FILE] [--seconds 10] [--workers 2]
Uses wrk (Debian package `wrk`) when installed, else a Python keep-alive client.
Last line: lookup_rps=N bare_rps=N ratio=0.00
"""

import argparse
import csv
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, path: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on :{port} did not answer")


def serve(module: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [GUNICORN, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", module],
        cwd=ROOT,
        env=env,
    )


def python_load(port: int, paths: list[str], seconds: float, connections: int = 8) -> float:
    """Requests per second from keep-alive connections cycling through paths."""
    done = [0] * connections
    stop = time.monotonic() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        n = i
        while time.monotonic() < stop:
            conn.request("GET", paths[n % len(paths)])
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status} for {paths[n % len(paths)]}")
            n += 1
            done[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - started)


def wrk_load(port: int, paths: list[str], seconds: float) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        quoted = ",".join(f'"{p}"' for p in paths)
        script.write(f"local paths = {{{quoted}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n")
        script.write('  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n')
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{int(seconds)}s", "-s", script.name, f"http://127.0.0.1:{port}/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise RuntimeError(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--register", type=Path, default=SHARED / "vilnius-register")
    parser.add_argument("--queries", type=Path, default=SHARED / "queries" / "dev_queries.csv")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with args.queries.open(encoding="utf-8") as f:
        paths = ["/api/v1/lookup?q=" + quote(row["query"]) for row in csv.DictReader(f)]
    load = wrk_load if shutil.which("wrk") else python_load
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite", "APP_ENV": "development"}
        flask = [str(Path(PYTHON).with_name("flask")), "--app", "wsgi"]
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([*flask, "addresses", "import-register", str(args.register)], cwd=ROOT, env=env, check=True)
        ours_port, bare_port = free_port(), free_port()
        ours = serve("wsgi:app", ours_port, args.workers, env)
        bare = serve("bench.bare_flask:app", bare_port, args.workers, env)
        try:
            wait_for(ours_port, paths[0])
            wait_for(bare_port, "/json")
            load(ours_port, paths, 2)  # warm-up: every worker builds its index
            load(bare_port, ["/json"], 2)
            bare_rps = load(bare_port, ["/json"], args.seconds)
            lookup_rps = load(ours_port, paths, args.seconds)
        finally:
            for process in (ours, bare):
                process.terminate()
                process.wait(timeout=10)
    print(f"client: {load.__name__}; gunicorn sync workers: {args.workers}; {len(paths)} distinct queries")
    print(f"lookup_rps={lookup_rps:.0f} bare_rps={bare_rps:.0f} ratio={lookup_rps / bare_rps:.2f}")


if __name__ == "__main__":
    main()
