"""Two audit entries written at the same moment (two people signing in at once) are both kept, in one chain.

Each append reads the chain's head, then inserts the entry after it, in one transaction. On PostgreSQL an advisory
lock (``audit.chain.lock_chain``) makes the second wait for the first. On the embedded SQLite (``make demo``, several
gunicorn processes and threads) both read the head under a shared lock and then both asked for the write lock: SQLite
refused one at once with "database is locked", a 500 on the sign-in page. The test holds the first writer between
its read and its insert for as long as it takes the second to read too (or a second, if the second cannot start), so
the two always overlap. Runs on SQLite and on PostgreSQL.
"""

import threading

import pytest
from django.db import connections

import audit.models
from audit.models import AuditEvent
from audit.services import audit_log
from audit.verification import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_entries_appended_at_once_are_both_kept_in_one_chain(clerk, monkeypatch):
    both_read = threading.Barrier(2)
    read_head = audit.models.chain_head

    def chain_head_then_wait(using="default"):
        head = read_head(using)
        try:
            both_read.wait(timeout=1)  # the other writer reads the same head meanwhile, unless it must wait to begin
        except threading.BrokenBarrierError:
            pass
        return head

    monkeypatch.setattr(audit.models, "chain_head", chain_head_then_wait)
    errors: list[BaseException] = []

    def sign_in(n: int) -> None:
        try:
            audit_log(user=clerk, action="login", detail={"n": n})
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    before = AuditEvent.objects.count()
    threads = [threading.Thread(target=sign_in, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert AuditEvent.objects.count() == before + 2
    first, second = AuditEvent.objects.order_by("-seq")[:2][::-1]
    assert second.seq == first.seq + 1 and second.prev_hash == first.entry_hash
    assert verify_chain().ok
