"""The production cache (``core.cache.RedisCache``) builds one redis-py client per connection pool and keeps it: Django's
own backend built one per cache operation, costing about as much as the operation's round trip to Redis."""

import os
import uuid

import pytest

from core.cache import RedisCache


def test_the_client_is_built_once_per_pool():
    cache = RedisCache("redis://127.0.0.1:6379/0", {})  # no connection is made until a command is sent
    assert cache._cache.get_client("a") is cache._cache.get_client("b")
    assert cache._cache.get_client("a", write=True) is cache._cache.get_client("a")


@pytest.mark.redis
def test_cache_operations_share_one_client():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"test-cache-client-{uuid.uuid4().hex}"})
    built = []
    real = cache._cache._client

    def build(**kwargs):
        built.append(kwargs)
        return real(**kwargs)

    cache._cache._client = build
    try:
        for n in range(10):
            cache.set(f"k{n}", {"n": n, "office": "组人处"}, timeout=30)
            assert cache.get(f"k{n}") == {"n": n, "office": "组人处"}
        assert cache.get_many(["k1", "k2", "missing"]) == {
            "k1": {"n": 1, "office": "组人处"},
            "k2": {"n": 2, "office": "组人处"},
        }
        assert cache.add("k1", "other") is False and cache.add("counter", 0) is True
        assert cache.incr("counter") == 1
    finally:
        cache.delete_many([f"k{n}" for n in range(10)] + ["counter"])
    assert len(built) == 1
