"""Lookups through the deployment under load, beside a bare Flask endpoint behind the same nginx, with wrk.

Usage: python bench/load.py --database-url postgresql://…/karstas_load [--register DIR] [--queries FILE]
                            [--seconds 30] [--connections 16 64] [--workers 2]
Starts deploy/local_stack.py's deployment (nginx with TLS → gunicorn with gunicorn.conf.py and production
settings → PostgreSQL, Redis) with one app instance, plus bench/bare_flask.py served by gunicorn the same way
behind the same nginx (/bare/json), imports the register into the (empty) database, and runs wrk (Debian
package `wrk`) for each connection count: the bare endpoint, then /api/v1/lookup cycling through every query of
the queries file. Also times the first ten lookups after the start.
Per run: rps, p50/p99 (ms), errors (socket errors and non-2xx); last line: ratio at each connection count.
Goal: ratio ≥ 0.8 and no errors.
"""

import argparse
import csv
import re
import shutil
import ssl
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
BARE_HTTP = """upstream karstas_bare {
    server 127.0.0.1:%d;
    keepalive 16;
}
"""
BARE_LOCATION = """    location = /bare/json {
        proxy_pass http://karstas_bare/json;
    }
"""


def wrk(url: str, connections: int, seconds: int, paths: list[str] | None = None) -> dict:
    """One wrk run: rps, p50_ms, p99_ms, errors."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    script = None
    if paths:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            quoted = ",".join(f'"{p}"' for p in paths)
            script.write(f"local paths = {{{quoted}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n")
            script.write('  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n')
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
    }


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
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (both)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    with args.queries.open(encoding="utf-8") as handle:
        paths = ["/api/v1/lookup?q=" + quote(row["query"]) for row in csv.DictReader(handle)]

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
    with stack:
        first = first_requests(stack.base_url, paths[7:])
        wait_for(stack.base_url + "/bare/json")
        print(
            f"first lookups after the start (ms): {' '.join(f'{t:.1f}' for t in first)} "
            f"→ first={first[0]:.1f} tenth={first[9]:.1f}"
        )
        wrk(stack.base_url + "/bare/json", 16, 3)  # warm-up: TLS sessions, upstream keep-alive, both apps
        wrk(stack.base_url + "/", 16, 3, paths)
        ratios = []
        for connections in args.connections:
            bare = wrk(stack.base_url + "/bare/json", connections, args.seconds)
            lookup = wrk(stack.base_url + "/", connections, args.seconds, paths)
            for name, result in (("bare", bare), ("lookup", lookup)):
                print(
                    f"{name:6} c={connections:<3} rps={result['rps']:.0f} p50_ms={result['p50_ms']:.2f} "
                    f"p99_ms={result['p99_ms']:.2f} errors={result['errors']}"
                )
            ratios.append(f"c{connections}={lookup['rps'] / bare['rps']:.2f}")
    print(
        f"nginx (TLS) → gunicorn {args.workers} workers × threads (gunicorn.conf.py), {len(paths)} distinct "
        f"queries, {args.seconds} s per run"
    )
    print("ratio " + " ".join(ratios))


if __name__ == "__main__":
    main()
