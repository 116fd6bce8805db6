import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jxc.settings")
application = get_wsgi_application()


def _refuse_insecure_production() -> None:
    from jxc.core.checks import production_problems

    problems = production_problems()
    if problems:
        raise ImproperlyConfigured(
            "JXC refuses to start in production mode:\n- " + "\n- ".join(problems)
        )


_refuse_insecure_production()
