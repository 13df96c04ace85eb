"""Files every node can read (a shared volume, or an S3-compatible bucket through django-storages, still encrypted),
and the deployment's shape in docker-compose.yml: two web nodes, one beat, one media volume for all."""

import io
from pathlib import Path

import pytest
import yaml
from django.core.files.base import ContentFile
from storages.backends.s3 import S3Storage

from config.settings import nodes
from core.files import MAGIC
from core.files_s3 import EncryptedS3Storage

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def test_media_on_the_shared_volume_by_default_and_in_a_bucket_on_request(monkeypatch):
    base = {"default": {"BACKEND": "fs"}, "private": {"BACKEND": "enc-fs"}, "staticfiles": {"BACKEND": "static"}}
    monkeypatch.delenv("MEDIA_STORAGE", raising=False)
    assert nodes.media_storages(base) == base
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "credit")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://minio.internal:9000")
    configured = nodes.media_storages(base)
    assert configured["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert configured["private"]["BACKEND"] == "core.files_s3.EncryptedS3Storage"
    assert configured["private"]["OPTIONS"]["bucket_name"] == "credit"
    assert configured["private"]["OPTIONS"]["location"] != configured["default"]["OPTIONS"]["location"]
    assert configured["staticfiles"] == base["staticfiles"]
    monkeypatch.setenv("MEDIA_STORAGE", "ftp")
    with pytest.raises(ValueError, match="MEDIA_STORAGE"):
        nodes.media_storages(base)


def test_private_files_reach_the_bucket_encrypted_and_read_back_in_clear(monkeypatch):
    bucket: dict[str, bytes] = {}  # stands in for the bucket: no network in tests

    def upload(self, name, content):
        content.seek(0)
        bucket[name] = content.read()
        return name

    monkeypatch.setattr(S3Storage, "_save", upload)
    monkeypatch.setattr(S3Storage, "_open", lambda self, name, mode="rb": io.BytesIO(bucket[name]))
    monkeypatch.setattr(S3Storage, "size", lambda self, name: len(bucket[name]))
    monkeypatch.setattr(S3Storage, "exists", lambda self, name: name in bucket)
    storage = EncryptedS3Storage(bucket_name="credit", endpoint_url="https://minio.internal:9000")
    clear = "姓名,身份证号\n张三,360102199001011234\n".encode() * 5000
    name = storage.save("batches/2026/penalties.csv", ContentFile(clear))
    assert bucket[name].startswith(MAGIC) and b"360102199001011234" not in bucket[name]
    with storage.open(name) as fh:
        assert fh.read() == clear
    assert storage.size(name) == len(clear)
    with pytest.raises(ValueError):
        storage.url(name)


def test_compose_runs_two_web_nodes_one_beat_and_one_media_volume_for_all():
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["beat"]["deploy"]["replicas"] == 1
    for name in ("web", "worker", "beat"):
        assert "media:/app/var/media" in services[name]["volumes"], name
