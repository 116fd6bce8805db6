"""Shared fixtures: two organizations, users per role, API clients bound to one of them."""

import os
import signal
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from jxc.core.models import Membership, Organization, User
from jxc.core.services.organizations import ensure_builtin_roles
from jxc.core.setup import set_up_organization

PASSWORD = "correct-horse-battery"


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"JXC database backend: {engine}"


def is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_configure(config):
    # Django's default hasher takes about half a second per password on purpose; the fixtures
    # set one for nearly every test. The slow hashers stay listed so stored hashes still check.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    _redis_per_worker()


def _redis_per_worker():
    """Under pytest-xdist each worker gets its own Redis database (the given one, then the ones
    below it): every test clears the cache, and on a shared database one worker would wipe
    another's throttle counts and Celery queue mid-test. Settings are read before this runs,
    so the cache, the broker and the environment (read by the Celery test) are all moved."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = os.environ.get("REDIS_URL", "")
    if not worker.startswith("gw") or not url:
        return
    parts = urlsplit(url)
    db = (int(parts.path.strip("/") or 0) - int(worker[2:])) % 16
    own = urlunsplit(parts._replace(path=f"/{db}"))
    os.environ["REDIS_URL"] = own
    settings.REDIS_URL = settings.CELERY_BROKER_URL = own
    settings.CACHES["default"]["LOCATION"] = own


@pytest.fixture(scope="session")
def _timeout_paused():
    left, _ = signal.setitimer(signal.ITIMER_REAL, 0)  # pytest-timeout's alarm, if armed
    return left


@pytest.fixture(scope="session")
def django_db_setup(_timeout_paused, django_db_setup):
    """Creating the test database (once per xdist worker, inside the first test's set-up) does
    not count against that test's pytest-timeout: with two workers migrating at once on a busy
    machine it took over the 300 s a test gets. The test's own time stays limited."""
    if _timeout_paused:
        signal.setitimer(signal.ITIMER_REAL, _timeout_paused)


def pytest_collection_modifyitems(config, items):
    if is_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def roles(db):
    return ensure_builtin_roles()


def make_member(organization, username, *role_codes, roles_by_code=None, **extra):
    roles_by_code = roles_by_code or ensure_builtin_roles()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, display_name=username.title(), **extra)
        user.set_password(PASSWORD)
        user.save()
    membership, _ = Membership.objects.get_or_create(user=user, organization=organization)
    membership.roles.add(*[roles_by_code[c] if isinstance(c, str) else c for c in role_codes])
    return user


def make_organization(code: str, name: str) -> Organization:
    """An organization with what every new one gets (base currency, units, virtual locations)."""
    organization = Organization.objects.create(code=code, name=name)
    set_up_organization(organization)
    return organization


@pytest.fixture
def org(db):
    return make_organization("ACME", "甲公司")


@pytest.fixture
def other_org(db):
    return make_organization("OTHER", "乙公司")


@pytest.fixture
def admin_user(org, roles):
    return make_member(org, "alice", "admin", roles_by_code=roles)


@pytest.fixture
def other_admin(other_org, roles):
    return make_member(other_org, "oscar", "admin", roles_by_code=roles)


def client_for(user, organization=None, language="en") -> APIClient:
    """An API client logged in as ``user`` (session), acting in ``organization``."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    if organization is not None:
        client.credentials(HTTP_X_ORGANIZATION=str(organization.pk))
    return client


@pytest.fixture
def api(admin_user, org):
    return client_for(admin_user, org)


@pytest.fixture
def other_api(other_admin, other_org):
    return client_for(other_admin, other_org)


@pytest.fixture(autouse=True)
def _jobs_in_process(settings):
    """Jobs run in this process, as in the embedded default, even when REDIS_URL is set for a
    PostgreSQL run: the tests that mean Celery say so."""
    settings.JXC_JOBS_BACKEND = "thread"


@pytest.fixture(autouse=True)
def _fresh_context():
    """No cached throttle counts, no audit actor and no language carried over from another
    test. Each test starts untranslated (messages read as their English source), the state
    Django's commands leave behind and the one the suite was written in; a test of the Chinese
    text says so with ``translation.override("zh-hans")``. Without this, an API request in one
    language left that language active for the next test on the thread."""
    from django.core.cache import cache
    from django.utils import translation

    from jxc.core import audit

    cache.clear()
    with audit.acting_as(None, None), translation.override(None):
        yield


os.environ.setdefault("JXC_TESTING", "1")
