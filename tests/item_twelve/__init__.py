"""A throwaway twelfth item, installed only by ``tests/credit/test_item_catalogue.py`` in a separate process: its
catalogue entry (``catalog_entry.json``) and its one model class (``models.py``) are all it declares."""
