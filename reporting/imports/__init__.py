"""Batch import of filled upload templates: ``reader`` (file safety, header, cells), ``rows`` (validation of every
row through the item's form), ``importer`` (orchestration and audit; the records are created by credit's
``records_create_bulk``), ``updater`` (update mode: rows update existing records through credit's correction
services) and ``error_copy`` (the annotated workbook of a refused upload)."""

from reporting.imports.error_copy import write_error_copy
from reporting.imports.importer import ImportResult, RecordImporter
from reporting.imports.reader import ImportRejected
from reporting.imports.rows import CellError
from reporting.imports.updater import RecordUpdater

__all__ = ["CellError", "ImportRejected", "ImportResult", "RecordImporter", "RecordUpdater", "write_error_copy"]
