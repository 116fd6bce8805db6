"""The ``jxc`` console command: Django management without ``manage.py``.

``jxc serve`` starts the server (gunicorn; ``--dev`` for Django's auto-reloading server),
``jxc migrate``, ``jxc demo``, ``jxc createsuperuser`` and every other management command
work as ``jxc <command> [options]``.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jxc.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "jxc"
    if len(argv) == 1:
        argv.append("help")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
