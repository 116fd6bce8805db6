"""``python -m jxc.core.dbcheck URL``: exit 0 when the PostgreSQL server answers (for make)."""

import sys

import psycopg


def main(url: str) -> int:
    server_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        psycopg.connect(server_url, connect_timeout=3).close()
    except psycopg.Error:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
