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
