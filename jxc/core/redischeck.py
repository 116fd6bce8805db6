"""``python -m jxc.core.redischeck URL``: exit 0 when the Redis server answers (for make)."""

import sys

import redis


def main(url: str) -> int:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except (redis.RedisError, ValueError):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
