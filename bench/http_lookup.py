"""HTTP lookup throughput under gunicorn against a bare Flask JSON endpoint, measured in the same run.

Usage: python bench/http_lookup.py [--register DIR] [--queries FILE] [--seconds 10] [--rounds 3] [--workers 2]
Both apps are served by gunicorn with gunicorn.conf.py (as `make run` and production serve; the access log goes
to a scratch file), without nginx, on an SQLite copy of the register with development settings. Each round
loads the bare endpoint, then /api/v1/lookup cycling through the queries file (repeated texts are answered
from the workers' memo after the first pass), then /api/v1/lookup with every text new ("cold", as in
bench/load.py). Uses wrk (Debian package `wrk`) when installed, else a Python keep-alive client.
Per round: requests per second and the CPU time the gunicorn workers spent per request (µs, from /proc).
Last lines: lookup_rps=N bare_rps=N ratio=0.00, then cold_rps=N cold_ratio=0.00 (medians of the rounds; the
range follows each).
"""

import argparse
import csv
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402 -- after the path is set
    COLD_RPS_CEILING,
    WRK_SCRIPT,
    WRK_THREADS,
    distinct_queries,
    spread,
    worker_cpu_seconds,
)
from deploy.local_stack import free_port  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


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


def serve(module: str, port: int, workers: int, env: dict, log: Path) -> subprocess.Popen:
    """gunicorn -c gunicorn.conf.py serving `module` on 127.0.0.1:port; its access log and messages go to `log`."""
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_ACCESS_LOG": str(log),
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [GUNICORN, "-c", "gunicorn.conf.py", module], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
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
        script.write(WRK_SCRIPT % (",".join(f'"{p}"' for p in paths), WRK_THREADS))
    out = subprocess.run(
        ["wrk", f"-t{WRK_THREADS}", "-c16", f"-d{int(seconds)}s", "-s", script.name, f"http://127.0.0.1:{port}/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise RuntimeError(out)


def measured(load, port: int, paths: list[str], seconds: float, master_pid: int) -> tuple[float, float]:
    """(requests per second, the server's worker CPU time per request in µs)."""
    before = worker_cpu_seconds(master_pid)
    rps = load(port, paths, seconds)
    return rps, (worker_cpu_seconds(master_pid) - before) / (rps * seconds) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--register", type=Path, default=SHARED / "vilnius-register")
    parser.add_argument("--queries", type=Path, default=SHARED / "queries" / "dev_queries.csv")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with args.queries.open(encoding="utf-8") as f:
        queries = [row["query"] for row in csv.DictReader(f)]
    paths = ["/api/v1/lookup?q=" + quote(query) for query in queries]
    cold_count = int(COLD_RPS_CEILING * args.seconds)
    cold = ["/api/v1/lookup?q=" + quote(q) for q in distinct_queries(queries, cold_count * args.rounds)]
    load = wrk_load if shutil.which("wrk") else python_load
    bare_runs, lookup_runs, cold_runs = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite", "APP_ENV": "development"}
        flask = [str(Path(PYTHON).with_name("flask")), "--app", "wsgi"]
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([*flask, "addresses", "import-register", str(args.register)], cwd=ROOT, env=env, check=True)
        ours_port, bare_port = free_port(), free_port()
        ours = serve("wsgi:app", ours_port, args.workers, env, Path(tmp) / "ours.log")
        bare = serve("bench.bare_flask:app", bare_port, args.workers, env, Path(tmp) / "bare.log")
        try:
            wait_for(ours_port, paths[0])
            wait_for(bare_port, "/json")
            load(ours_port, paths, 2)  # warm-up: keep-alive connections, both apps
            load(bare_port, ["/json"], 2)
            for round_ in range(1, args.rounds + 1):
                bare_runs.append(measured(load, bare_port, ["/json"], args.seconds, bare.pid))
                lookup_runs.append(measured(load, ours_port, paths, args.seconds, ours.pid))
                new_texts = cold[(round_ - 1) * cold_count : round_ * cold_count]
                cold_runs.append(measured(load, ours_port, new_texts, args.seconds, ours.pid))
                (bare_rps, bare_cpu), (lookup_rps, lookup_cpu) = bare_runs[-1], lookup_runs[-1]
                cold_rps, cold_cpu = cold_runs[-1]
                print(
                    f"round {round_}: bare_rps={bare_rps:.0f} lookup_rps={lookup_rps:.0f} cold_rps={cold_rps:.0f} "
                    f"ratio={lookup_rps / bare_rps:.2f} cold_ratio={cold_rps / bare_rps:.2f} "
                    f"worker_cpu_us bare={bare_cpu:.0f} lookup={lookup_cpu:.0f} cold={cold_cpu:.0f}",
                    flush=True,
                )
        finally:
            for process in (ours, bare):
                process.terminate()
                process.wait(timeout=30)
    ratios = [lookup / bare for (bare, _), (lookup, _) in zip(bare_runs, lookup_runs, strict=True)]
    cold_ratios = [cold_rps / bare for (bare, _), (cold_rps, _) in zip(bare_runs, cold_runs, strict=True)]
    print(
        f"client: {load.__name__}; gunicorn.conf.py, {args.workers} workers; {len(paths)} distinct queries; "
        f"worker CPU per request (µs): bare {spread([c for _, c in bare_runs], 0)}, "
        f"lookup {spread([c for _, c in lookup_runs], 0)}, cold {spread([c for _, c in cold_runs], 0)}"
    )
    print(
        f"lookup_rps={spread([r for r, _ in lookup_runs], 0)} "
        f"bare_rps={spread([r for r, _ in bare_runs], 0)} ratio={spread(ratios)}"
    )
    print(f"cold_rps={spread([r for r, _ in cold_runs], 0)} cold_ratio={spread(cold_ratios)}")


if __name__ == "__main__":
    main()
