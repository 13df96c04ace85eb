"""The one declaration of the Annex 1 items (``catalog.json``) and its Python view (``ItemSpec``, ``FieldSpec``).

Adding an item: its entry in ``catalog.json``, one typed model class (``class FooRecord(Record, item=11)``), the
generated schema migration and a one-line data migration (``SyncCatalog``); see the README's "Adding an item".
"""

from credit.catalog.spec import (
    BLACK_LIST,
    NOT_PUBLIC,
    PENALTY,
    RECOGNITION,
    RED_LIST,
    SEMIANNUAL,
    WORKING_DAYS,
    FieldSpec,
    ItemSpec,
    PenaltyColumns,
    RedListEntry,
    catalog_field,
    catalog_item,
    load_catalog,
)

__all__ = [
    "BLACK_LIST",
    "NOT_PUBLIC",
    "PENALTY",
    "RECOGNITION",
    "RED_LIST",
    "SEMIANNUAL",
    "WORKING_DAYS",
    "FieldSpec",
    "ItemSpec",
    "PenaltyColumns",
    "RedListEntry",
    "catalog_field",
    "catalog_item",
    "load_catalog",
]
