"""Files at rest: the files that hold personal data (export batches, kept import uploads and error copies, public
requests' evidence) are stored encrypted under their own key (``FILE_ENCRYPTION_KEY``), never in clear.

Format (hand-written because ``cryptography`` has no streaming AEAD and Fernet encrypts one message held whole in
memory, while a batch can be 100+ MB): the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015) over
AES-256-GCM. A 16-byte header (``NCENC1`` magic, a format byte, two reserved bytes, a 7-byte random file nonce) is
followed by chunks of ``CHUNK`` plaintext bytes, each sealed with the nonce ``file nonce || chunk counter (32 bits) ||
last-chunk flag`` and the header as associated data. Reordered, dropped, truncated or appended chunks therefore fail
to decrypt, and plaintext size and position are computable without decrypting, so reading is seekable (range
requests, zip readers) and both directions hold one chunk in memory.

Files written before encryption (no magic) are still read as they are, until ``manage.py encrypt_files_at_rest``
has encrypted them in place.
"""

from __future__ import annotations

import base64
import io
import os
import struct
import tempfile
from collections.abc import Iterator
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages

MAGIC = b"NCENC1"
VERSION = 1
HEADER_SIZE = 16
CHUNK = 64 * 1024
TAG = 16
SEALED_CHUNK = CHUNK + TAG
PRIVATE_STORAGE = "private"


class FileDecryptionError(OSError):
    """An encrypted file that does not decrypt under the configured key (wrong key, or the file was altered)."""


@cache
def _key(configured: str, secret_key: str) -> bytes:
    if configured:
        key = base64.urlsafe_b64decode(configured.encode())
        if len(key) != 32:
            raise ValueError("FILE_ENCRYPTION_KEY must decode to 32 bytes")
        return key
    # Development and tests only (production refuses to start without FILE_ENCRYPTION_KEY): a key of its own, derived
    # from SECRET_KEY with a label of its own, never the field key.
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"nc-edu-credit", info=b"file-encryption").derive(
        secret_key.encode()
    )


def _cipher() -> AESGCM:
    return AESGCM(_key(getattr(settings, "FILE_ENCRYPTION_KEY", ""), settings.SECRET_KEY))


def _nonce(file_nonce: bytes, counter: int, last: bool) -> bytes:
    """The 12-byte GCM nonce of a chunk: 7-byte file nonce, 32-bit counter, last-chunk flag."""
    return file_nonce + struct.pack(">IB", counter, 1 if last else 0)


def _header() -> bytes:
    return MAGIC + bytes([VERSION, 0, 0]) + os.urandom(7)


def _blocks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Re-cut arbitrary chunks into blocks of exactly CHUNK bytes (the last one shorter, possibly empty)."""
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        while len(buffer) > CHUNK:  # keep at least one byte back: the last block must be known as last
            yield bytes(buffer[:CHUNK])
            del buffer[:CHUNK]
    yield bytes(buffer)


def encrypt_chunks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The encrypted form of the plaintext given as ``chunks``: header, then one sealed chunk at a time."""
    cipher, header = _cipher(), _header()
    file_nonce = header[9:]
    yield header
    blocks = _blocks(chunks)
    current = next(blocks)
    counter = 0
    for following in blocks:
        yield cipher.encrypt(_nonce(file_nonce, counter, False), current, header)
        current, counter = following, counter + 1
    yield cipher.encrypt(_nonce(file_nonce, counter, True), current, header)


def is_encrypted(fh) -> bool:
    """Whether the open binary file ``fh`` starts with the header (position restored)."""
    position = fh.tell()
    fh.seek(0)
    start = fh.read(len(MAGIC))
    fh.seek(position)
    return start == MAGIC


def plaintext_size(sealed_size: int) -> int:
    body = sealed_size - HEADER_SIZE
    chunks = max(1, -(-body // SEALED_CHUNK))
    return body - TAG * chunks


class DecryptingReader(io.RawIOBase):
    """A seekable, read-only view of the plaintext of an encrypted file (one decrypted chunk in memory)."""

    def __init__(self, raw, name: str = ""):
        super().__init__()
        self._raw = raw
        self.name = name
        raw.seek(0, io.SEEK_END)
        sealed = raw.tell()
        raw.seek(0)
        self._header = raw.read(HEADER_SIZE)
        if len(self._header) != HEADER_SIZE or self._header[:6] != MAGIC or self._header[6] != VERSION:
            raise FileDecryptionError(f"{name}: not an encrypted file of a known version")
        self._file_nonce = self._header[9:]
        self._size = plaintext_size(sealed)
        self._chunks = max(1, -(-(sealed - HEADER_SIZE) // SEALED_CHUNK))
        if self._size < 0:
            raise FileDecryptionError(f"{name}: truncated encrypted file")
        self._cipher = _cipher()
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def _chunk(self, index: int) -> bytes:
        if self._cached and self._cached[0] == index:
            return self._cached[1]
        self._raw.seek(HEADER_SIZE + index * SEALED_CHUNK)
        sealed = self._raw.read(SEALED_CHUNK)
        last = index == self._chunks - 1
        try:
            plain = self._cipher.decrypt(_nonce(self._file_nonce, index, last), sealed, self._header)
        except InvalidTag as exc:
            raise FileDecryptionError(f"{self.name}: chunk {index} does not decrypt (wrong key or altered)") from exc
        self._cached = (index, plain)
        return plain

    def readinto(self, buffer) -> int:
        if self._pos >= self._size:
            return 0
        index, offset = divmod(self._pos, CHUNK)
        data = self._chunk(index)[offset : offset + len(buffer)]
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self._size - self._pos
        parts, wanted = [], min(size, max(0, self._size - self._pos))
        while wanted > 0:
            index, offset = divmod(self._pos, CHUNK)
            data = self._chunk(index)[offset : offset + wanted]
            parts.append(data)
            self._pos += len(data)
            wanted -= len(data)
        return b"".join(parts)

    def readall(self) -> bytes:
        return self.read(-1)

    @property
    def size(self) -> int:
        return self._size

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def decrypting_reader(raw, name: str):
    """A reader of the clear content of ``raw`` (a seekable binary file of a private storage); closes it with itself."""
    try:
        if not is_encrypted(raw):
            return raw  # written before encryption: encrypt_files_at_rest converts it
        return io.BufferedReader(DecryptingReader(raw, name=name), buffer_size=CHUNK)
    except BaseException:
        raw.close()
        raise


class _EncryptingContent:
    """What ``FileSystemStorage._save`` writes: the encrypted chunks of ``content`` (never moved as a temporary
    upload file: that would keep it in clear)."""

    def __init__(self, content):
        self._content = content

    def chunks(self, chunk_size=None):
        return encrypt_chunks(self._content.chunks(CHUNK))  # File.chunks starts from the beginning


class PrivateFile(File):
    """A file of the private storage, read in clear; reopened through the storage (its name is not a path)."""

    def __init__(self, file, name: str, storage: EncryptedFileSystemStorage):
        super().__init__(file, name=name)
        self._storage = storage

    def open(self, mode=None, *args, **kwargs):
        if not self.closed:
            self.seek(0)
        else:
            self.file = self._storage._reader(self.name)
        return self


class EncryptedStorageMixin:
    """What every encrypted private storage shares: files are opened for reading only, decrypted through
    ``_reader(name)`` (the storage's own), and have no URL."""

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("encrypted files are written through save(), not opened for writing")
        return PrivateFile(self._reader(name), name=name, storage=self)

    def _reader(self, name: str):
        raise NotImplementedError

    def url(self, name, *args, **kwargs):
        raise ValueError("private files have no URL; they are downloaded through an audited view")


class EncryptedFileSystemStorage(EncryptedStorageMixin, FileSystemStorage):
    """A private ``FileSystemStorage`` whose files are encrypted at rest and decrypted on read.

    ``path()`` still names the file on disk, which holds ciphertext: read through ``open()`` (or ``plaintext_copy``
    for a consumer that needs a path)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("base_url", None)  # never served by URL: downloads go through audited views
        super().__init__(**kwargs)

    def _save(self, name, content):
        return super()._save(name, _EncryptingContent(content))

    def _reader(self, name: str):
        return decrypting_reader(open(self.path(name), "rb"), name)  # closed with the returned reader

    def size(self, name):
        with open(self.path(name), "rb") as raw:
            if not is_encrypted(raw):
                return os.fstat(raw.fileno()).st_size
        return plaintext_size(os.path.getsize(self.path(name)))

    @staticmethod
    def is_encrypted_file(fh) -> bool:
        return is_encrypted(fh)

    def encrypt_in_place(self, name: str) -> bool:
        """Encrypt a file written before encryption (atomically: a sibling temporary file, then ``os.replace``).
        Returns False when it is encrypted already."""
        path = self.path(name)
        with open(path, "rb") as src:
            if is_encrypted(src):
                return False
            fd, tmp = tempfile.mkstemp(prefix=".enc-", dir=os.path.dirname(path))
            try:
                with os.fdopen(fd, "wb") as out:
                    for sealed in encrypt_chunks(iter(lambda: src.read(CHUNK), b"")):
                        out.write(sealed)
                    out.flush()
                    os.fsync(out.fileno())
                os.chmod(tmp, os.stat(path).st_mode & 0o777)
                os.replace(tmp, path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        return True


def private_storage():
    """The storage of files holding personal data (``STORAGES["private"]``), for ``FileField(storage=...)``: a
    callable, so migrations name it instead of freezing its settings."""
    return storages[PRIVATE_STORAGE]


def plaintext_copy(field_file, directory: str | None = None) -> str:
    """Decrypt ``field_file`` to a new private temporary file (mode 0600) and return its path; the caller deletes it.

    For consumers that need a path (the delivery transports); written a chunk at a time."""
    fd, path = tempfile.mkstemp(suffix=".xlsx", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out, field_file.open("rb") as src:
            while chunk := src.read(1 << 20):
                out.write(chunk)
    except BaseException:
        os.unlink(path)
        raise
    finally:
        field_file.close()
    return path
