"""No oversell on the embedded default: a SQLite file shared by 16 threads."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import is_postgres

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(is_postgres(), reason="runs once, in the SQLite run")


def test_sixteen_threads_on_a_sqlite_file_reserve_exactly_the_last_hundred_units(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/race.sqlite3",
        "JXC_TEST_DATABASE_NAME": str(tmp_path / "race-test.sqlite3"),
        "JXC_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("sqlite_race.py"))],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    verdict = json.loads(result.stdout.strip().splitlines()[-1])
    assert verdict["errors"] == []
    assert verdict["attempts"] == 1000
    assert verdict["ok"] == 100
    assert verdict["reserved"] == "100.0000"
    assert verdict["problems"] == []
