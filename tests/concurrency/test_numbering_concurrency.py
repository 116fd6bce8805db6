"""Number series under real concurrency on PostgreSQL: unique and gap-free."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from jxc.core.models import Organization
from jxc.core.services import numbering

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
PER_THREAD = 25


def test_eight_threads_get_unique_gap_free_numbers():
    org = Organization.objects.create(code="RACE", name="并发公司")
    numbering.ensure_series(organization=org, doc_type="sales_order")
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait()
            for _ in range(PER_THREAD):
                with transaction.atomic():
                    number = numbering.next_number(organization=org, doc_type="sales_order")
                with lock:
                    results.append(number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    sequence = sorted(int(number.rsplit("-", 1)[1]) for number in results)
    assert len(results) == len(set(results)) == THREADS * PER_THREAD
    assert sequence == list(range(1, THREADS * PER_THREAD + 1))


def test_rolled_back_numbers_are_reused_so_concurrent_series_stay_gap_free():
    org = Organization.objects.create(code="RACE2", name="并发公司二")
    barrier = threading.Barrier(THREADS)
    committed: list[str] = []
    lock = threading.Lock()

    def worker(index: int):
        try:
            barrier.wait()
            for attempt in range(6):
                try:
                    with transaction.atomic():
                        number = numbering.next_number(organization=org, doc_type="delivery")
                        if (index + attempt) % 3 == 0:
                            raise ValueError("document failed")
                    with lock:
                        committed.append(number)
                except ValueError:
                    pass
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    sequence = sorted(int(number.rsplit("-", 1)[1]) for number in committed)
    assert sequence == list(range(1, len(committed) + 1))
