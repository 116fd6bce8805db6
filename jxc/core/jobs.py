"""Background jobs: one registry, three ways to run them.

An app declares a job with :func:`job` (and a periodic one with :func:`periodic`) and schedules
it with :func:`enqueue`, always from inside the transaction whose outcome it follows: the job is
handed over only once that transaction commits (``transaction.on_commit``), so a rolled-back
write never triggers one. Where it then runs depends on ``settings.JXC_JOBS_BACKEND``:

- ``celery`` (the default when ``REDIS_URL`` is set): sent through Redis to a Celery worker;
- ``thread`` (the embedded default): a daemon thread of this process, so a request never waits
  for an e-mail or a webhook;
- ``inline``: in the committing thread itself, right after the commit (tests, scripts); a
  delayed job still waits in a timer thread.

Jobs take plain keyword arguments (ids, not objects) and must be idempotent: a worker may run a
job twice (a lost acknowledgement, a retry, a scan that overlaps an earlier one), so each job
re-reads its rows and claims its work with a conditional update. Within one transaction the
same job with the same arguments (its *key*) is scheduled once.
"""

import dataclasses
import datetime
import functools
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from jxc.core import audit

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Job:
    name: str
    function: Callable[..., None]
    #: for periodic jobs: how often Celery beat or the embedded scheduler runs it
    every: datetime.timedelta | None = None


_jobs: dict[str, Job] = {}


def job(name: str, *, every: datetime.timedelta | None = None):
    """Register the decorated function as the job ``name``."""

    def register(function):
        _jobs[name] = Job(name=name, function=function, every=every)
        return function

    return register


def periodic(name: str, *, every: datetime.timedelta):
    """Register a job that the scheduler runs every ``every`` (with no arguments)."""
    return job(name, every=every)


def registered_job(name: str) -> Job:
    try:
        return _jobs[name]
    except KeyError:
        raise LookupError(f"no job named {name!r}") from None


def periodic_jobs() -> list[Job]:
    return sorted((j for j in _jobs.values() if j.every), key=lambda j: j.name)


def backend() -> str:
    return settings.JXC_JOBS_BACKEND


def job_key(name: str, kwargs: dict) -> str:
    return name + "(" + ",".join(f"{k}={kwargs[k]!r}" for k in sorted(kwargs)) + ")"


# --- scheduling ------------------------------------------------------------------------------


def enqueue(name: str, /, *, delay: float = 0, **kwargs) -> None:
    """Run job ``name`` with ``kwargs`` once the current transaction commits (at once when no
    transaction is open), ``delay`` seconds later. The same key twice in one transaction is
    scheduled once."""
    registered_job(name)  # an unknown name fails here, in the caller, not later in a worker
    key = job_key(name, kwargs)
    if key in _keys_awaiting_commit():
        return
    transaction.on_commit(functools.partial(_hand_over, key, name, kwargs, delay))


def _keys_awaiting_commit() -> set[str]:
    """The keys of the jobs this transaction will hand over when it commits. Read from the
    connection's own on-commit list, which a rollback (of a savepoint too) trims: a job
    dropped with its transaction is scheduled again by the next one."""
    return {
        callback.args[0]
        for _savepoints, callback, _robust in connection.run_on_commit
        if isinstance(callback, functools.partial) and callback.func is _hand_over
    }


def _hand_over(key: str, name: str, kwargs: dict, delay: float) -> None:
    """Runs after the commit: a broker that is down must not turn the committed request into
    an error. The job's rows stay as they were (pending), for the periodic jobs to pick up."""
    try:
        _start(name, kwargs, delay)
    except Exception:
        logger.exception("could not hand over job %s", key)


def _start(name: str, kwargs: dict, delay: float) -> None:
    mode = backend()
    if mode == "celery":
        from jxc.celery import run_job

        run_job.apply_async(args=[name, kwargs], countdown=delay or None)
    elif mode == "inline" and not delay:
        run_now(name, **kwargs)
    else:
        start_thread(name, kwargs, delay=delay)


def start_thread(name: str, kwargs: dict, *, delay: float = 0) -> threading.Thread:
    """Run the job in a daemon thread of this process (after ``delay`` seconds)."""
    user, organization = audit.current_actor()

    def work():
        close_old_connections()
        try:
            with audit.acting_as(user, organization):
                run_now(name, **kwargs)
        finally:
            connection.close()  # this thread's connection dies with it

    if delay:
        worker = threading.Timer(delay, work)
        worker.name = f"job-{name}"
    else:
        worker = threading.Thread(target=work, name=f"job-{name}")
    worker.daemon = True
    worker.start()
    return worker


def run_now(name: str, /, **kwargs) -> None:
    """Run the job here and now; a failure is logged, never raised into the caller (the job's
    own rows record what went wrong)."""
    try:
        registered_job(name).function(**kwargs)
    except Exception:
        logger.exception("job %s failed", job_key(name, kwargs))
