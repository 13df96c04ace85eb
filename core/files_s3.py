"""The private storage in an S3-compatible bucket (``MEDIA_STORAGE=s3``, config/settings/nodes.py): the same format as
``core.files.EncryptedFileSystemStorage``, encrypted on the node before upload and decrypted after download, so the
bucket never holds personal data in clear. Kept apart from core.files so that boto3 is imported only when used."""

from __future__ import annotations

import tempfile

from django.core.files import File
from storages.backends.s3 import S3Storage

from core.files import CHUNK, EncryptedStorageMixin, decrypting_reader, encrypt_chunks, plaintext_size


class EncryptedS3Storage(EncryptedStorageMixin, S3Storage):
    """Private files in a bucket: sealed before upload, never served by URL."""

    def _save(self, name, content):
        with tempfile.SpooledTemporaryFile(max_size=16 * CHUNK) as sealed:
            for chunk in encrypt_chunks(content.chunks(CHUNK)):
                sealed.write(chunk)
            sealed.seek(0)
            return super()._save(name, File(sealed, name=name))

    def _reader(self, name: str):
        return decrypting_reader(S3Storage._open(self, name, "rb"), name)  # the bucket's bytes, sealed

    def size(self, name):
        # Every file of this storage was written through _save: always sealed.
        return plaintext_size(super().size(name))
