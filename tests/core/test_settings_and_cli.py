"""Production mode refuses an insecure configuration; the demo command is idempotent."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from jxc.core.demo import DEMO_PASSWORD, DEMO_USERS
from jxc.core.models import Membership, Organization, User


def run_jxc(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "jxc.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_refuses_an_insecure_configuration(tmp_path):
    result = run_jxc(
        "serve",
        env_extra={
            "JXC_MODE": "production",
            "DEBUG": "1",
            "SECRET_KEY": "short",
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
            "REDIS_URL": "",  # the PostgreSQL test run sets one for the jobs tests
            "JXC_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for reason in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "PostgreSQL", "REDIS_URL"):
        assert reason in output, output


def test_production_mode_passes_its_checks_when_configured(tmp_path):
    (tmp_path / "index.html").write_text("<html></html>")
    result = run_jxc(
        "check",
        env_extra={
            "JXC_FRONTEND_DIST": str(tmp_path),
            "JXC_MODE": "production",
            "SECRET_KEY": "s3cr3t-" + "k" * 20 + "abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "jxc.example.com",
            "DATABASE_URL": "postgres://postgres@127.0.0.1/x",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "JXC_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "jxc.E001" not in result.stdout + result.stderr, result.stderr
    assert "no issues" in result.stdout


def test_demo_mode_generates_a_secret_key_once(tmp_path):
    env = {"JXC_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    run_jxc("check", env_extra=env)
    first = (tmp_path / "secret_key").read_text()
    run_jxc("check", env_extra=env)
    assert (tmp_path / "secret_key").read_text() == first
    assert len(first) >= 50


@pytest.mark.django_db
def test_demo_is_idempotent_and_keeps_user_changes():
    call_command("demo", verbosity=0)
    admin = User.objects.get(username="admin")
    assert admin.check_password(DEMO_PASSWORD)
    admin.set_password("changed-by-the-user-1")
    admin.save()
    counts = (User.objects.count(), Organization.objects.count(), Membership.objects.count())
    call_command("demo", verbosity=0)
    assert (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert User.objects.get(username="admin").check_password("changed-by-the-user-1")
    assert counts[0] == len(DEMO_USERS)
    assert Organization.objects.get(code="DEMO-SH").parent.code == "DEMO"
