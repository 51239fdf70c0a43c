"""Time `flask addresses import-register` and measure its peak memory, as an operator would run it.

Usage: python bench/import_register.py [REGISTER_DIR] [--database-url URL]
REGISTER_DIR defaults to ../shared/data/vilnius-register; for the national file, make one first with
bench/make_national_register.py /tmp/national-register. Each import runs as its own process (the CLI, into a
fresh SQLite database unless --database-url is given): the first import, then the same files again.
Last line: rows=N streets=N addresses=N seconds=S peak_rss_mb=M (the first import). Targets for ≈1M rows:
≤ 30 s, ≤ 200 MB.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
FLASK = [str(Path(sys.executable).with_name("flask")), "--app", "wsgi"]


def run(args: list[str], env: dict) -> tuple[float, float, str]:
    """Run a CLI command; its wall-clock seconds, peak RSS in MB and output."""
    started = time.perf_counter()
    process = subprocess.Popen([*FLASK, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024, output  # ru_maxrss is in KiB on Linux


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("register", type=Path, nargs="?", default=SHARED / "vilnius-register")
    parser.add_argument("--database-url", help="e.g. postgresql://…/karstas_bench (default: a fresh SQLite file)")
    args = parser.parse_args()
    rows = count_lines(args.register / "adr_stat_lr.csv")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "APP_ENV": "development",
            "SECRET_KEY": "bench-" + "x" * 40,
            "DATABASE_URL": args.database_url or f"sqlite:///{tmp}/bench.sqlite",
        }
        run(["db", "upgrade"], env)
        first_seconds, first_rss, first = run(["addresses", "import-register", str(args.register)], env)
        second_seconds, second_rss, second = run(["addresses", "import-register", str(args.register)], env)
    summary = {line.split(":")[0]: line for line in first.splitlines() if ":" in line}
    print(f"first import ({first_seconds:.1f} s, peak {first_rss:.0f} MB):")
    print("  " + "\n  ".join(first.strip().splitlines()))
    print(f"second import, same files ({second_seconds:.1f} s, peak {second_rss:.0f} MB):")
    print("  " + "\n  ".join(second.strip().splitlines()))
    added = {key: summary[key].split()[1] for key in ("streets", "addresses") if key in summary}
    print(
        f"rows={rows} streets={added.get('streets')} addresses={added.get('addresses')} "
        f"seconds={first_seconds:.1f} peak_rss_mb={first_rss:.0f}"
    )


if __name__ == "__main__":
    main()
