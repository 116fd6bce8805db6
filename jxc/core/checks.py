"""Production mode refuses an insecure or stateful configuration, and says why."""

from django.conf import settings
from django.core.checks import Error, register


def production_problems() -> list[str]:
    if not settings.PRODUCTION:
        return []
    problems = []
    key = settings.SECRET_KEY or ""
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure"):
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters.")
    if settings.DEBUG:
        problems.append("DEBUG must be off in production.")
    if not settings.ALLOWED_HOSTS or "*" in settings.ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the host names the site is served under.")
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        problems.append(
            "DATABASE_URL must point to PostgreSQL: SQLite keeps state on the app server's disk."
        )
    if not settings.REDIS_URL:
        problems.append("REDIS_URL must be set: several app servers share cache and jobs there.")
    if not settings.FRONTEND_DIST.joinpath("index.html").exists():
        problems.append("The UI is not built (frontend/dist): run `make build` first.")
    return problems


@register("jxc", deploy=False)
def check_production(app_configs=None, **kwargs):
    return [Error(problem, id="jxc.E001") for problem in production_problems()]
