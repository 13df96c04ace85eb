"""What credit announces to the apps built on it. Credit does not know who listens: publicity, reporting and
oversight import credit, never the other way round, so they subscribe here (in their ``AppConfig.ready``).

Only credit's services send these; records are never saved anywhere else (the bulk importer's raw inserts create
drafts, which nothing downstream shows; they announce themselves as a whole through ``records_created``).
"""

from django.dispatch import Signal

# A service saved a record: created, edited, moved through its lifecycle, a change applied, expired. Sent inside the
# service's transaction, right after the save, so what a receiver writes commits or rolls back with the record (the
# public column's red list and publications mirror the record this way). Arguments: ``record`` (the typed record).
record_changed = Signal()

# A submitted record was approved (待审核 → 已通过). Sent once the approving transaction has committed, and never when
# it rolls back (e.g. the approve-and-publish transaction around it fails): for receivers that act outside the
# database. Arguments: ``record`` (the typed record), ``user`` (the reviewer).
record_approved = Signal()

# A bulk creation (``credit.services.records_bulk.records_create_bulk``, the template import) saved new records
# without model signals. Sent once its transaction has committed, never when it rolls back. Arguments: ``records``
# (the typed records, drafts or submitted), ``user`` (the clerk).
records_created = Signal()

# A record was made public for the first time (publicity's column published it: a penalty by a reviewer, a red-list
# entry on approval). Sent by ``credit.services.publication_facts.record_mark_published`` inside the publishing
# transaction, once per record (a refresh or a second publication after a withdrawal does not count again).
# Arguments: ``record``, ``at`` (the time it became public).
record_published = Signal()

# Records were delivered to the municipal platform for the first time (reporting's ledger: a batch delivered through
# the transport or uploaded by hand). Sent by ``credit.services.publication_facts.records_mark_delivered`` inside its
# transaction. Arguments: ``record_ids`` (those delivered for the first time), ``at``.
records_delivered = Signal()

# A calendar change (holidays, 调休, a year made official) recomputed stored due dates: ``bulk_update`` sends no
# ``record_changed``. Sent by ``credit.services.calendar.due_dates_recompute`` inside its transaction, also when no
# due date moved (the change may still move deadlines counted from a record's business date, such as the 双公示
# publication deadline). Arguments: ``first``, ``last`` (the changed dates), ``changes`` (a list of
# ``(record_id, old_due_date)`` for the records whose due date or provisional flag changed).
due_dates_changed = Signal()
