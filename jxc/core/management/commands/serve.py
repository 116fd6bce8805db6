"""``jxc serve``: run JXC behind gunicorn (or Django's dev server with ``--dev``), with the
embedded scheduler of periodic jobs unless Celery beat does it (``JXC_SCHEDULER``)."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jxc.core.checks import production_problems
from jxc.core.idempotency import purge_expired_records
from jxc.core.scheduler import start_scheduler


class Command(BaseCommand):
    help = "Start the JXC web server."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("JXC_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("JXC_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.JXC_GUNICORN_WORKERS or None,
            help="gunicorn worker processes (default: 2 × cores + 1 in production, 2 in demo mode)",
        )
        parser.add_argument(
            "--dev", action="store_true", help="Django's auto-reloading development server"
        )
        parser.add_argument("--quiet-banner", action="store_true")

    def handle(self, *args, host, port, workers, dev, quiet_banner, **options):
        problems = production_problems()
        if problems:
            raise CommandError(
                "JXC refuses to start in production mode:\n- " + "\n- ".join(problems)
            )
        call_command("check")
        purge_expired_records()
        if settings.JXC_SCHEDULER and (not dev or os.environ.get("RUN_MAIN") == "true"):
            # periodic jobs without Celery beat; under --dev only in the reloaded child process
            start_scheduler()
        if not quiet_banner:
            self._banner(host, port)
        if dev:
            call_command("runserver", f"{host}:{port}")
            return
        workers = workers or ((os.cpu_count() or 1) * 2 + 1 if settings.PRODUCTION else 2)
        self._gunicorn(host, port, workers)

    def _banner(self, host, port):
        from jxc.core.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_loaded

        self.stdout.write(self.style.SUCCESS(f"JXC 进销存 is running at http://{host}:{port}/"))
        self.stdout.write(f"API docs: http://{host}:{port}/api/docs/")
        if demo_loaded():
            self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
            for username, role in DEMO_LOGINS:
                self.stdout.write(f"  {username:<12} {role}")
        sys.stdout.flush()

    def _gunicorn(self, host, port, workers):
        from gunicorn.app.wsgiapp import run

        sys.argv = [
            "gunicorn",
            "jxc.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-" if settings.PRODUCTION else "/dev/null",
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            "--timeout",
            "120",
        ]
        run()
