"""Work collected over a transaction and done once, after it commits (``on_commit_batched``).

A service that changes a record announces it inside its transaction, often several times (created, submitted,
approved, published: each a signal), and a request, an import or a nightly job may change many records in one
transaction. A receiver whose work after the commit is the same for one change as for a hundred (recount these cells,
replace these cache versions, queue these files) adds what it touched to the transaction's batch of that name; the
batch's callback runs once, right after the commit, with everything added. Each addition registers the batch's
on-commit callback (Django's ``captureOnCommitCallbacks`` runs only the ones registered inside it); the first to run
does the work, the others find the batch empty. A rolled-back transaction drops the batch with its callbacks; what a
rolled-back savepoint added inside a batch that stays open is done too (the work is idempotent: recount, replace,
queue). Outside a transaction the callback runs at once.

``run_batched_now`` runs what a batch holds so far inside the transaction (for a reader that must see the
transaction's own changes counted); ``discard_batched`` empties it (the work was done another way).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction


class _Batch:
    def __init__(self, callback: Callable[[set], None]) -> None:
        self.callback = callback
        self.items: set = set()
        self.done = False

    def run(self) -> None:
        items, self.items = self.items, set()
        if items:
            self.callback(items)

    def committed(self) -> None:
        self.done = True  # later additions belong to another transaction, with a batch of its own
        self.run()


_BATCHES = "_core_on_commit_batches"


def _open_batch(conn, name: str) -> _Batch | None:
    """The batch ``name`` of the connection's open transaction: the one whose callback is still registered (a batch
    left by a committed or rolled-back transaction, or by a rolled-back savepoint that opened it, is not)."""
    batch = getattr(conn, _BATCHES, {}).get(name)
    if batch is None or batch.done or not conn.in_atomic_block:
        return None
    for _savepoints, func, _robust in conn.run_on_commit:
        if getattr(func, "__self__", None) is batch:
            return batch
    return None


def on_commit_batched(name: str, items: Iterable, callback: Callable[[set], None], *, robust: bool = False) -> None:
    """Add ``items`` to the current transaction's batch ``name``; ``callback(items)`` runs once after the commit with
    all that was added (at once, with ``items``, outside a transaction). ``robust``: a failing callback is logged and
    does not fail the request whose transaction has committed (``transaction.on_commit``)."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        callback(set(items))
        return
    batch = _open_batch(conn, name)
    if batch is None:
        batch = _Batch(callback)
        conn.__dict__.setdefault(_BATCHES, {})[name] = batch
    batch.items.update(items)
    transaction.on_commit(batch.committed, robust=robust)


def run_batched_now(name: str) -> None:
    """Do now, inside the transaction, what the batch ``name`` holds so far."""
    batch = _open_batch(transaction.get_connection(), name)
    if batch is not None:
        batch.run()


def discard_batched(name: str) -> None:
    """Forget what the batch ``name`` holds so far (done another way)."""
    batch = _open_batch(transaction.get_connection(), name)
    if batch is not None:
        batch.items.clear()


def hold_transaction_lock(namespace: int, key: int) -> None:
    """Serialise, until the current transaction ends, the transactions that take the lock ``(namespace, key)``: a
    look-then-insert (is this record already stored?) cannot then interleave with another's. Call inside a
    transaction.

    PostgreSQL: a transaction-level advisory lock on the two keys. SQLite needs none: every transaction takes the
    database's write lock when it begins (``transaction_mode`` in ``config/settings/base.py``)."""
    conn = transaction.get_connection()
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, key])
