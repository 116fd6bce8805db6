"""The Celery app, used when ``REDIS_URL`` is set: ``celery -A jxc worker`` runs the jobs,
``celery -A jxc beat`` the periodic ones.

Every job goes through one task, :func:`run_job`, which looks the job up in
:mod:`jxc.core.jobs`: apps declare jobs once, whichever backend runs them.
"""

import os

from celery import Celery
from django.db import close_old_connections, connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jxc.settings")

app = Celery("jxc")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="jxc.run_job", ignore_result=True)
def run_job(name: str, kwargs: dict) -> None:
    from jxc.core.jobs import run_now

    close_old_connections()
    try:
        run_now(name, **kwargs)
    finally:
        connection.close()


@app.on_after_finalize.connect
def schedule_periodic_jobs(sender, **_kwargs) -> None:
    """Celery beat runs every periodic job that the apps registered."""
    from django.apps import apps

    if not apps.ready:  # the worker or beat process: load Django (and its registries) first
        import django

        django.setup()
    from jxc.core.jobs import periodic_jobs

    for job in periodic_jobs():
        sender.add_periodic_task(job.every.total_seconds(), run_job.s(job.name, {}), name=job.name)
