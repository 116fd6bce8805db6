"""Background jobs: handed over only after the transaction commits, once per key, in a thread
of this process by default, through Redis to a Celery worker when configured; the embedded
scheduler runs the periodic ones."""

import contextlib
import datetime
import logging
import os
import threading
import time

import pytest
from django.db import transaction

from jxc.core import jobs, scheduler
from jxc.core.models import Organization

RAN: list[tuple] = []


@jobs.job("tests.record")
def record(**kwargs):
    RAN.append((threading.current_thread().name, kwargs))


@jobs.job("tests.rename_organization")
def rename_organization(*, organization_id: int, name: str):
    Organization.objects.filter(pk=organization_id).update(name=name)


@jobs.job("tests.fail")
def fail():
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _clean():
    RAN.clear()
    yield
    RAN.clear()


@pytest.fixture
def inline(settings):
    settings.JXC_JOBS_BACKEND = "inline"


@pytest.mark.django_db
def test_a_job_runs_only_after_the_transaction_commits(inline, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        jobs.enqueue("tests.record", order=1)
        assert RAN == []  # not before the commit
    assert [kwargs for _thread, kwargs in RAN] == [{"order": 1}]


@pytest.mark.django_db
def test_a_rolled_back_transaction_runs_no_job(inline, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with contextlib.suppress(ZeroDivisionError), transaction.atomic():
            jobs.enqueue("tests.record", order=1)
            raise ZeroDivisionError  # rolls the transaction back
        with transaction.atomic():  # the same key in the next transaction is scheduled again
            jobs.enqueue("tests.record", order=1)
    assert len(callbacks) == 1
    assert [kwargs for _thread, kwargs in RAN] == [{"order": 1}]


@pytest.mark.django_db
def test_the_same_job_key_is_scheduled_once_per_transaction(
    inline, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        jobs.enqueue("tests.record", order=1)
        jobs.enqueue("tests.record", order=1)
        jobs.enqueue("tests.record", order=2)
    assert sorted(kwargs["order"] for _thread, kwargs in RAN) == [1, 2]


def test_an_unknown_job_is_refused_where_it_is_scheduled():
    with pytest.raises(LookupError, match="no job named"):
        jobs.enqueue("tests.nothing")


def test_a_failing_job_is_logged_not_raised(caplog):
    with caplog.at_level(logging.ERROR, logger="jxc.core.jobs"):
        jobs.run_now("tests.fail")
    assert "job tests.fail() failed" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_by_default_a_job_runs_in_a_thread_and_sees_what_was_committed(org):
    with transaction.atomic():
        jobs.enqueue("tests.rename_organization", organization_id=org.pk, name="后台改名")
    # started when the transaction committed: still running, or (on a busy machine) done already
    for worker in threading.enumerate():
        if worker.name == "job-tests.rename_organization":
            worker.join(timeout=30)
    org.refresh_from_db()
    assert org.name == "后台改名"


# --- the embedded scheduler ------------------------------------------------------------------


def test_the_scheduler_runs_each_periodic_job_at_its_interval(monkeypatch):
    every = datetime.timedelta(minutes=15)
    monkeypatch.setattr(jobs, "_jobs", {"scan": jobs.Job("scan", record, every=every),
                                        "once": jobs.Job("once", record)})  # fmt: skip
    start = datetime.datetime(2026, 1, 5, 8, 0, tzinfo=datetime.UTC)
    clock = scheduler.Scheduler(now=start)
    assert clock.due(start) == []  # the server finishes starting first
    assert clock.due(start + scheduler.FIRST_RUN_AFTER) == ["scan"]
    assert clock.due(start + scheduler.FIRST_RUN_AFTER + datetime.timedelta(minutes=14)) == []
    assert clock.due(start + scheduler.FIRST_RUN_AFTER + every) == ["scan"]


def test_one_scheduler_thread_per_process():
    first = scheduler.start_scheduler()
    try:
        assert scheduler.start_scheduler() is first
        assert first.daemon
        assert first.is_alive()
        assert [t.name for t in threading.enumerate()].count("jxc-scheduler") == 1
    finally:
        scheduler.stop_scheduler()
    assert not first.is_alive()  # stopped: no periodic job runs against later tests' data


def test_the_periodic_jobs_of_workflow_are_registered():
    names = {job.name for job in jobs.periodic_jobs()}
    assert {"workflow.scan_alerts", "workflow.retry_webhooks"} <= names


# --- Celery through Redis (PostgreSQL runs) ---------------------------------------------------

REDIS_MODE = os.environ.get("JXC_TEST_REDIS", "auto")


def _redis_unavailable() -> str | None:
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url:
        return "REDIS_URL is not set (make test sets it on the PostgreSQL run when Redis answers)"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"no Redis at {url}: {exc}"
    return None


@pytest.fixture
def redis_queue():
    reason = _redis_unavailable()
    if reason and REDIS_MODE == "required":
        pytest.fail(f"jobs through Redis are required (JXC_TEST_REDIS=required): {reason}")
    if reason:
        pytest.skip(f"jobs through Redis and Celery: {reason}")
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.delete("celery")
    yield client
    client.delete("celery")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_redis_a_job_goes_through_the_broker_to_a_celery_worker(settings, redis_queue, org):
    from celery.contrib.testing.worker import start_worker

    from jxc.celery import app

    settings.JXC_JOBS_BACKEND = "celery"
    with transaction.atomic():
        jobs.enqueue("tests.rename_organization", organization_id=org.pk, name="经由 Redis")
        assert redis_queue.llen("celery") == 0  # nothing is sent before the commit
    assert redis_queue.llen("celery") == 1  # sent to the broker, not run here
    org.refresh_from_db()
    assert org.name == "甲公司"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            org.refresh_from_db()
            if org.name == "经由 Redis":
                break
            time.sleep(0.2)
    assert org.name == "经由 Redis"
    assert redis_queue.llen("celery") == 0


@pytest.mark.django_db
def test_a_broker_that_is_down_does_not_fail_the_committed_work(
    settings, django_capture_on_commit_callbacks, caplog, monkeypatch
):
    from jxc.celery import run_job

    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(run_job, "apply_async", refuse)
    settings.JXC_JOBS_BACKEND = "celery"
    with (
        caplog.at_level(logging.ERROR, logger="jxc.core.jobs"),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        jobs.enqueue("tests.record", order=1)
    assert "could not hand over job tests.record(order=1)" in caplog.text
