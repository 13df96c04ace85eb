"""Encrypt in place the files written before encryption at rest (batches, import uploads, error copies, evidence).

Run once after upgrading, with FILE_ENCRYPTION_KEY set; safe to run again (encrypted files are left alone) and while
the portal runs (each file is replaced atomically). Finds every file field stored in the private storage.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models

from core.files import EncryptedFileSystemStorage


def private_file_fields():
    """(model, field name) of every concrete file field stored encrypted."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and isinstance(field.storage, EncryptedFileSystemStorage):
                yield model, field.name


class Command(BaseCommand):
    help = "加密存量明文文件（报送批次、导入上传文件、错误标注文件、证明材料）；已加密的文件跳过。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不改动文件")

    def handle(self, *args, dry_run: bool = False, **options):
        encrypted = already = missing = 0
        for model, name in private_file_fields():
            storage = model._meta.get_field(name).storage
            files = model._default_manager.exclude(**{name: ""}).values_list(name, flat=True).iterator()
            for stored in files:
                if not stored or not storage.exists(stored):
                    missing += stored != ""
                    continue
                if dry_run:
                    with open(storage.path(stored), "rb") as fh:
                        plain = not storage.is_encrypted_file(fh)
                    encrypted += plain
                    already += not plain
                elif storage.encrypt_in_place(stored):
                    encrypted += 1
                else:
                    already += 1
        verb = "待加密" if dry_run else "已加密"
        self.stdout.write(f"{verb} {encrypted} 个文件；原已加密 {already} 个；记录指向但文件不存在 {missing} 个。")
