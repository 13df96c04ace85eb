"""Keeping the column in step with the credit records it shows, without the credit app knowing about it: an approved
item 6/7 record joins the red list; a changed record refreshes its publication's public columns."""

from django.db.models.signals import post_save

from credit.registry import model_for_item
from publicity.services.publications import PUBLIC_ITEMS, RED_LIST_ITEMS, publication_refresh, red_list_sync


def _record_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.ITEM_NO in RED_LIST_ITEMS and instance.status == "approved":
        red_list_sync(record=instance)
    else:
        publication_refresh(record=instance)


def connect() -> None:
    for no in PUBLIC_ITEMS:
        post_save.connect(_record_saved, sender=model_for_item(no), dispatch_uid=f"publicity-record-{no}")
