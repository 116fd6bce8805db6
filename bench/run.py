"""``make bench``: JXC's benchmarks, on SQLite and (when reachable) PostgreSQL.

Each benchmark runs in a fresh database created for the run and dropped afterwards, prints one
JSON line per backend and never fails the build. Figures vary with whatever else the machine is
doing: each is the median of several repetitions, printed with min and max.
"""

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = [
    "bench.foundation",
    "bench.masterdata",
    "bench.inventory",
    "bench.finance",
    "bench.workload",
    "bench.purchasing",
]
POSTGRES_URL = os.environ.get(
    "JXC_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/jxc_bench"
)


def summarize(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "median": round(statistics.median(ordered), 3),
        "p95": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 3),
        "min": round(ordered[0], 3),
        "max": round(ordered[-1], 3),
        "n": len(ordered),
    }


def backends() -> list[tuple[str, str]]:
    found = [("sqlite", f"sqlite:///{tempfile.mkdtemp(prefix='jxc-bench-')}/bench.sqlite3")]
    from jxc.core.dbcheck import main as postgres_reachable

    if postgres_reachable(POSTGRES_URL) == 0:
        found.append(("postgresql", POSTGRES_URL))
    else:
        print(f"# PostgreSQL not reachable at {POSTGRES_URL}: skipped", flush=True)
    return found


def main() -> int:
    for name, url in backends():
        workdir = tempfile.mkdtemp(prefix="jxc-bench-")
        env = {**os.environ, "DATABASE_URL": url, "JXC_VAR_DIR": workdir}
        if name == "sqlite":  # a file, as in real use: threads and processes share it
            env["JXC_TEST_DATABASE_NAME"] = os.path.join(workdir, "bench-test.sqlite3")
        for module in BENCHMARKS:
            result = subprocess.run(
                [sys.executable, "-m", module, name], env=env, cwd=ROOT, check=False
            )
            if result.returncode != 0:
                print(f"# {module} on {name} failed with exit code {result.returncode}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
