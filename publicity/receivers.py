"""Keeping the column in step with the credit records it shows, by listening to what credit announces
(``credit.signals``; credit itself knows nothing of the column): an approved record of a red-list item joins the red list, and
any other change refreshes the record's publication's public columns (e.g. an approved change, a revocation)."""

from credit.signals import record_changed
from publicity.services.publications import PUBLIC_ITEMS, publication_refresh, red_list_sync


def _record_changed(sender, record, **kwargs) -> None:
    if record.ITEM_NO not in PUBLIC_ITEMS:
        return
    # red_list_sync answers None unless the record is an approved red-list item: then only refresh what is there.
    if red_list_sync(record=record) is None:
        publication_refresh(record=record)


_record_changed.safe_for_new_records = (  # read by credit.services.records_bulk, which sends no record_changed
    "a record created in bulk is new (it has no publication) and a draft or submitted (not approved): nothing to do"
)


def connect() -> None:
    record_changed.connect(_record_changed, dispatch_uid="publicity-record-changed")
