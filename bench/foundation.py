"""Foundation figures: numbering throughput, and API latency of ``me`` and a list."""

import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jxc.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from bench.run import summarize  # noqa: E402


def bench_numbering(org, count=2000) -> dict:
    from jxc.core.services.numbering import next_number

    started = time.perf_counter()
    for _ in range(count):
        with transaction.atomic():
            next_number(organization=org, doc_type="sales_order")
    elapsed = time.perf_counter() - started
    return {"numbers": count, "seconds": round(elapsed, 3), "per_second": round(count / elapsed)}


def bench_api(path: str, client, repeat=300) -> dict:
    client.get(path)  # warm-up
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:200]
    return summarize(samples)


def main(backend: str) -> None:
    from rest_framework.test import APIClient

    from jxc.core.demo import load_demo
    from jxc.core.models import Organization, User

    settings.ALLOWED_HOSTS = ["*"]
    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        load_demo()
        org = Organization.objects.get(code="DEMO")
        client = APIClient()
        client.force_login(User.objects.get(username="admin"))
        result = {
            "benchmark": "foundation",
            "backend": backend,
            "numbering": bench_numbering(org),
            "api_me_ms": bench_api("/api/v1/me/", client),
            "api_users_list_ms": bench_api("/api/v1/users/", client),
            "api_audit_list_ms": bench_api("/api/v1/audit-log/?page_size=50", client),
        }
        print(json.dumps(result, ensure_ascii=False), flush=True)
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1])
