"""Lookups through the deployment under load, beside a bare Flask endpoint behind the same nginx, with wrk.

Usage: python bench/load.py --database-url postgresql://…/karstas_load [--register DIR] [--queries FILE]
                            [--seconds 30] [--connections 16 64] [--rounds 2] [--workers 2]
Starts deploy/local_stack.py's deployment (nginx with TLS → gunicorn with gunicorn.conf.py and production
settings → PostgreSQL, Redis) with one app instance, plus bench/bare_flask.py served by gunicorn the same way
behind the same nginx (/bare/json), imports the register into the (empty) database, and runs wrk (Debian
package `wrk`) for each connection count, `rounds` times in turn: the bare endpoint; /api/v1/lookup cycling
through every query of the queries file ("lookup": after the first pass each worker answers a repeated text
from its memo of answers, as it does for residents asking again); and /api/v1/lookup with every request a
text not asked before ("cold": the queries file's texts in other upper/lower case, which the matcher reads
the same way, so the same mix of work for the matcher and none of it remembered). Also times the first ten
lookups after the start.
Per run: rps, p50/p99 (ms), errors (socket errors and non-2xx), and the CPU time the server's gunicorn workers
spent per request (µs, from /proc: on a machine shared with other work it varies far less than rps does).
Last lines: the rps ratios lookup/bare and cold/bare at each connection count (median of the rounds, with their
range) and the workers' CPU per request. Goal: ratio ≥ 0.8 and no errors.
"""

import argparse
import contextlib
import csv
import os
import random
import re
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.local_stack import LocalStack, free_port  # noqa: E402 -- after the path is set

SHARED = ROOT.parent / "shared" / "data"
# Requests a second no lookup run reaches on this deployment (measured: ~1,500 on 2 cores), for sizing the
# cold runs' lists of new texts.
COLD_RPS_CEILING = 4000
BARE_HTTP = """upstream karstas_bare {
    server 127.0.0.1:%d;
    keepalive 16;
}
"""
BARE_LOCATION = """    location = /bare/json {
        proxy_pass http://karstas_bare/json;
    }
"""


WRK_THREADS = 2
# Each wrk thread sends every WRK_THREADS-th path from its own offset: together they go through the list once
# before any path comes again.
WRK_SCRIPT = """local paths = {%s}
local threads, counter = %d, 0
setup = function(thread)
  thread:set("offset", counter)
  counter = counter + 1
end
local i = -1
request = function()
  i = i + 1
  return wrk.format("GET", paths[((i * threads + offset) %% #paths) + 1])
end
"""


def wrk(url: str, connections: int, seconds: int, paths: list[str] | None = None) -> dict:
    """One wrk run: rps, p50_ms, p99_ms, errors, requests."""
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    script = None
    if paths:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT % (",".join(f'"{p}"' for p in paths), WRK_THREADS))
        command[1:1] = ["-s", script.name]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if script:
        Path(script.name).unlink()
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": _ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1)),
        "p99_ms": _ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1)),
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def distinct_queries(queries: list[str], count: int, seed: int = 15) -> list[str]:
    """`count` different texts, the queries in turn, each time in another upper/lower case (`gEdimINO pr. 1`).

    The matcher folds case first, so a variant asks it for exactly the work its original does; as a text it
    is new, so no memo of earlier answers holds it. Queries with too few letters to vary are left out.
    """
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        added = 0
        for query in queries:
            variant = "".join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in query)
            if variant not in seen:
                seen.add(variant)
                out.append(variant)
                added += 1
        if not added:
            raise ValueError("the queries have too few letters to write them in enough different ways")
    return out[:count]


def worker_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system, seconds) used so far by the gunicorn workers of this master (Linux /proc)."""
    ticks = 0
    for task in os.listdir(f"/proc/{master_pid}/task"):
        children = Path(f"/proc/{master_pid}/task/{task}/children").read_text().split()
        for pid in children:
            with contextlib.suppress(FileNotFoundError):  # a worker that exited since
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def measured(url: str, connections: int, seconds: int, master_pid: int, paths: list[str] | None = None) -> dict:
    """wrk(...) plus cpu_us: the server's worker CPU time per request, in µs."""
    before = worker_cpu_seconds(master_pid)
    result = wrk(url, connections, seconds, paths)
    requests = result["rps"] * seconds
    result["cpu_us"] = (worker_cpu_seconds(master_pid) - before) / requests * 1e6 if requests else 0.0
    result["repeated"] = max(0, result["requests"] - len(paths)) if paths else 0
    return result


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wait_for(url: str, timeout: float = 30.0) -> None:
    context = ssl._create_unverified_context()  # noqa: S323 -- the stack's own self-signed certificate
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, context=context) as response:  # noqa: S310 -- https only
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def first_requests(base_url: str, paths: list[str], count: int = 10) -> list[float]:
    """Milliseconds for the first `count` lookups after the start, one after another."""
    context = ssl._create_unverified_context()  # noqa: S323 -- the stack's own self-signed certificate
    timings = []
    for path in paths[:count]:
        started = time.perf_counter()
        with urllib.request.urlopen(base_url + path, context=context) as response:  # noqa: S310 -- https only
            response.read()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="an empty PostgreSQL database")
    parser.add_argument("--register", type=Path, default=SHARED / "vilnius-register")
    parser.add_argument("--queries", type=Path, default=SHARED / "queries" / "dev_queries.csv")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--rounds", type=int, default=2, help="bare and lookup runs, in turn, per connection count")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (both)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    with args.queries.open(encoding="utf-8") as handle:
        queries = [row["query"] for row in csv.DictReader(handle)]
    paths = ["/api/v1/lookup?q=" + quote(query) for query in queries]
    # More texts than the fastest run could ask (COLD_RPS_CEILING requests a second), for every cold run.
    cold_count = COLD_RPS_CEILING * args.seconds
    cold = [
        "/api/v1/lookup?q=" + quote(q)
        for q in distinct_queries(queries, cold_count * args.rounds * len(args.connections))
    ]

    bare_port = free_port()
    stack = LocalStack(
        args.database_url,
        instances=1,
        workers=args.workers,
        extra_http=BARE_HTTP % bare_port,
        extra_locations=BARE_LOCATION,
    )
    stack.prepare_database(args.register, staff_account=False)
    stack.serve("bench.bare_flask:app", bare_port, stack.tmp / "bare.log")
    bare_master = stack.processes[-1].pid
    with stack:
        app_master = next(p.pid for p in stack.processes if "wsgi:app" in p.args)
        first = first_requests(stack.base_url, paths[7:])
        wait_for(stack.base_url + "/bare/json")
        print(
            f"first lookups after the start (ms): {' '.join(f'{t:.1f}' for t in first)} "
            f"→ first={first[0]:.1f} tenth={first[9]:.1f}"
        )
        wrk(stack.base_url + "/bare/json", 16, 3)  # warm-up: TLS sessions, upstream keep-alive, both apps
        wrk(stack.base_url + "/", 16, 3, paths)
        summary = []
        unused_cold = cold
        for connections in args.connections:
            runs = []
            for round_ in range(1, args.rounds + 1):
                bare = measured(stack.base_url + "/bare/json", connections, args.seconds, bare_master)
                lookup = measured(stack.base_url + "/", connections, args.seconds, app_master, paths)
                # Texts never asked before in this run (no worker can hold them), more than this run can ask.
                cold_paths, unused_cold = unused_cold[:cold_count], unused_cold[cold_count:] or cold
                cold_run = measured(stack.base_url + "/", connections, args.seconds, app_master, cold_paths)
                for name, result in (("bare", bare), ("lookup", lookup), ("cold", cold_run)):
                    print(
                        f"{name:6} c={connections:<3} round={round_} rps={result['rps']:.0f} "
                        f"p50_ms={result['p50_ms']:.2f} p99_ms={result['p99_ms']:.2f} errors={result['errors']} "
                        f"worker_cpu_us={result['cpu_us']:.0f}"
                        + (f" repeated_texts={cold_run['repeated']}" if name == "cold" else ""),
                        flush=True,
                    )
                runs.append({"bare": bare, "lookup": lookup, "cold": cold_run})
            summary.append((connections, runs))
    print(
        f"nginx (TLS) → gunicorn {args.workers} workers × threads (gunicorn.conf.py), lookup: {len(paths)} "
        f"distinct queries in turn; cold: every text new; {args.seconds} s per run, {args.rounds} rounds"
    )
    for name in ("lookup", "cold"):
        print(
            f"ratio {name}/bare "
            + " ".join(f"c{c}={spread([r[name]['rps'] / r['bare']['rps'] for r in runs])}" for c, runs in summary)
        )
    print(
        "worker CPU per request (µs) "
        + " ".join(
            f"c{c}: " + " ".join(f"{name}={spread([r[name]['cpu_us'] for r in runs], 0)}" for name in runs[0])
            for c, runs in summary
        )
    )


def spread(values: list[float], digits: int = 2) -> str:
    """Repeated measurements as `median (lowest–highest)`, or the one value."""
    median = f"{statistics.median(values):.{digits}f}"
    if len(values) == 1:
        return median
    return f"{median} ({min(values):.{digits}f}–{max(values):.{digits}f})"


if __name__ == "__main__":
    main()
