"""Running on more than one machine: a read replica for the public column, and media in shared storage.

- ``DATABASE_REPLICA_URL``: a PostgreSQL streaming replica of ``DATABASE_URL`` (hot standby). Anonymous GET/HEAD
  requests to the public column and its open data read from it; staff, every write and the next
  ``DATABASE_REPLICA_STICKY_SECONDS`` after a visitor's own write read from the primary (core/replica.py). Unset:
  there is no ``replica`` database and everything reads from ``default``.
- Nothing is kept on one node: sessions are in the database (Django's default engine), the cache and the Celery
  broker in Redis, and files (uploads, kept import workbooks, export batches, evidence) in ``MEDIA_ROOT``, a volume
  every node mounts, or, with ``MEDIA_STORAGE=s3``, an S3-compatible bucket through django-storages
  (``media_storages``). Celery beat runs as one service for the whole deployment (docker-compose.yml).
"""

from config.env import env

DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
# URL namespaces whose GET/HEAD requests by anonymous visitors may read from the replica.
DATABASE_REPLICA_NAMESPACES = ["publicity", "publicity-api"]
# After a write (any POST), the browser reads from the primary for this long: longer than the replica ever lags.
DATABASE_REPLICA_STICKY_SECONDS = env.int("DATABASE_REPLICA_STICKY_SECONDS", default=30)
# The test settings switch routing off (the suite's own tests write in uncommitted transactions the replica cannot
# see); tests/core/test_read_replica.py switches it on.
DATABASE_REPLICA_ROUTING = True


def replica_databases(default: dict) -> dict:
    """The ``replica`` entry of DATABASES for ``default`` (the primary), or nothing without DATABASE_REPLICA_URL."""
    if not DATABASE_REPLICA_URL:
        return {}
    replica = env.db_url_config(DATABASE_REPLICA_URL)
    replica["CONN_MAX_AGE"] = default.get("CONN_MAX_AGE", 0)
    replica["ATOMIC_REQUESTS"] = False
    # Under test, the test runner neither creates nor empties the replica's test database: it only takes the name of
    # the primary's. The replica streams the whole primary cluster, so the test database created there arrives on the
    # replica under that name, and connections to ``replica`` still go to the replica's own host and port.
    replica["TEST"] = {"MIRROR": "default"}
    return {"replica": replica}


def media_storages(storages: dict) -> dict:
    """STORAGES with ``default`` (public media) and ``private`` (encrypted files) on the configured backend.

    ``MEDIA_STORAGE=filesystem`` (default): ``MEDIA_ROOT``, which every node of a multi-node deployment mounts from
    one shared volume. ``MEDIA_STORAGE=s3``: an S3-compatible bucket (MinIO, Ceph, OSS, COS…) through django-storages,
    with ``AWS_STORAGE_BUCKET_NAME``, ``AWS_S3_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``; the
    private files are still encrypted before they leave the node (core.files_s3.EncryptedS3Storage).
    """
    backend = env("MEDIA_STORAGE", default="filesystem")
    if backend == "filesystem":
        return storages
    if backend != "s3":
        raise ValueError(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {backend!r}")
    options = {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env("AWS_S3_REGION_NAME", default=None),
        "access_key": env("AWS_ACCESS_KEY_ID", default=None),
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
        # Files are never public by URL: signed, short-lived links only.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    return {
        **storages,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**options, "location": "media"}},
        "private": {"BACKEND": "core.files_s3.EncryptedS3Storage", "OPTIONS": {**options, "location": "private"}},
    }
