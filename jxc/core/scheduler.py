"""The embedded scheduler: runs the periodic jobs when there is no Celery beat.

``jxc serve`` starts it in the server's main process (gunicorn's arbiter, not its workers, so
there is one per server however many workers run). It is a daemon thread that wakes every
``TICK`` seconds and starts each periodic job whose time has come, in a thread of its own (a
slow scan never delays the others). Jobs are idempotent, so a run that overlaps the previous
one, or a second server's scheduler, does no harm.
"""

import datetime
import logging
import threading

from jxc.core import jobs

logger = logging.getLogger(__name__)
TICK = 15  # seconds
FIRST_RUN_AFTER = datetime.timedelta(seconds=60)  # let the server finish starting first


class Scheduler:
    def __init__(self, *, now: datetime.datetime):
        self._next: dict[str, datetime.datetime] = {}
        self._started = now

    def due(self, now: datetime.datetime) -> list[str]:
        """The periodic jobs to start at ``now``; each is then due again ``every`` later."""
        names = []
        for job in jobs.periodic_jobs():
            first = self._started + min(job.every, FIRST_RUN_AFTER)
            if now >= self._next.get(job.name, first):
                names.append(job.name)
                self._next[job.name] = now + job.every
        return names

    def tick(self, now: datetime.datetime) -> None:
        for name in self.due(now):
            try:
                jobs.start_thread(name, {})
            except Exception:  # a thread that cannot start must not stop the scheduler
                logger.exception("scheduler could not start job %s", name)


_lock = threading.Lock()
_thread: threading.Thread | None = None
_stop = threading.Event()


def start_scheduler() -> threading.Thread:
    """Start this process's scheduler thread (once: a second call returns the same thread)."""
    global _thread
    with _lock:
        if _thread is None or not _thread.is_alive():
            _stop.clear()
            _thread = threading.Thread(target=_loop, name="jxc-scheduler", daemon=True)
            _thread.start()
        return _thread


def stop_scheduler() -> None:
    """Stop this process's scheduler thread and wait for it (a test that started one must not
    leave it running periodic jobs against the databases of later tests)."""
    global _thread
    with _lock:
        thread, _thread = _thread, None
        _stop.set()
    if thread is not None:
        thread.join(timeout=TICK * 2)


def _loop() -> None:
    scheduler = Scheduler(now=_utcnow())
    while not _stop.is_set():
        try:
            scheduler.tick(_utcnow())
        except Exception:
            logger.exception("scheduler tick failed")
        _stop.wait(TICK)


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)
