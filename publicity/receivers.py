"""Keeping the column in step with the credit records it shows, by listening to what credit announces
(``credit.signals``; credit itself knows nothing of the column): an approved record of a red-list item joins the red list, and
any other change refreshes the record's publication's public columns (e.g. an approved change, a revocation).

Every change to what the column shows also replaces the versions its cached pages are keyed by (``publicity.pagecache``)
and marks the open-data files of its lists for rewriting (``publicity.opendata_files``): saves and deletions of the
column's own entries, objections (异议处理中 shows on the entry) and articles, the black list's records, and credit's
``record_changed`` for the publications and black-list entries resting on the record."""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from credit.signals import record_changed
from publicity import opendata_files, pagecache
from publicity.models import (
    BlackListEntry,
    LicenceDecision,
    NewsItem,
    Objection,
    PolicyDocument,
    Publication,
    PublicationKind,
    RepairApplication,
)
from publicity.selectors import BLACK_LIST, LICENCES, PENALTIES, RED_LIST
from publicity.services.publications import PUBLIC_ITEMS, publication_refresh, red_list_sync


def publication_section(kind: str) -> str:
    return PENALTIES if kind == PublicationKind.PENALTY else RED_LIST


def entries_changed(entries: list[tuple[str, int]]) -> None:
    """The entries ``(section, pk)`` changed: their detail pages, their lists' pages and open-data files go stale."""
    if not entries:
        return
    sections = {section for section, _pk in entries}
    pagecache.changed(*sections, *(pagecache.entry_scope(s, pk) for s, pk in entries))
    opendata_files.sections_changed(sections)


def _record_changed(sender, record, **kwargs) -> None:
    if record.ITEM_NO in PUBLIC_ITEMS:
        # red_list_sync answers None unless the record is an approved red-list item: then only refresh what is there.
        if red_list_sync(record=record) is None:
            publication_refresh(record=record)
        # A status change hides the entry without saving the publication (the selectors read the record's status).
        entries_changed(
            [
                (publication_section(kind), pk)
                for pk, kind in Publication.objects.filter(record_id=record.pk).values_list("pk", "kind")
            ]
        )
    # A black-list entry leaves the column once none of its 失信 records is in force.
    entries_changed(
        [(BLACK_LIST, pk) for pk in BlackListEntry.objects.filter(records=record.pk).values_list("pk", flat=True)]
    )


_record_changed.safe_for_new_records = (  # read by credit.services.records_bulk, which sends no record_changed
    "a record created in bulk is new (it has no publication, no black-list entry) and a draft or submitted (not "
    "approved): nothing to do"
)


def _publication_saved(sender, instance: Publication, **kwargs) -> None:
    entries_changed([(publication_section(instance.kind), instance.pk)])


def _licence_saved(sender, instance: LicenceDecision, **kwargs) -> None:
    entries_changed([(LICENCES, instance.pk)])


def _blacklist_saved(sender, instance: BlackListEntry, **kwargs) -> None:
    entries_changed([(BLACK_LIST, instance.pk)])


def _blacklist_records_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if reverse:  # from the record's side: the entries are in pk_set (all of them on a clear)
        pks = pk_set if pk_set is not None else instance.blacklist_entries.values_list("pk", flat=True)
        entries_changed([(BLACK_LIST, pk) for pk in pks])
    else:
        entries_changed([(BLACK_LIST, instance.pk)])


def _request_saved(sender, instance, **kwargs) -> None:
    # 异议处理中 (and a repair's outcome) shows on the entry and its list rows.
    if instance.publication_id:
        entries_changed([(publication_section(instance.publication.kind), instance.publication_id)])
    if getattr(instance, "licence_id", None):
        entries_changed([(LICENCES, instance.licence_id)])
    if getattr(instance, "blacklist_entry_id", None):
        entries_changed([(BLACK_LIST, instance.blacklist_entry_id)])


def _article_saved(sender, instance, **kwargs) -> None:
    pagecache.changed(pagecache.ARTICLES)


def connect() -> None:
    record_changed.connect(_record_changed, dispatch_uid="publicity-record-changed")
    for model, receiver in (
        (Publication, _publication_saved),
        (LicenceDecision, _licence_saved),
        (BlackListEntry, _blacklist_saved),
        (Objection, _request_saved),
        (RepairApplication, _request_saved),
        (PolicyDocument, _article_saved),
        (NewsItem, _article_saved),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"publicity-pagecache-save-{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"publicity-pagecache-delete-{model.__name__}")
    post_migrate.connect(pagecache.everything_changed, dispatch_uid="publicity-pagecache-migrate")
    m2m_changed.connect(
        _blacklist_records_changed, sender=BlackListEntry.records.through, dispatch_uid="publicity-pagecache-blacklist"
    )
