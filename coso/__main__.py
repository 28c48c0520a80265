"""`python -m coso` and the `coso` console command: Django's manage.py under another name."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coso.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["coso", *sys.argv[1:]])


if __name__ == "__main__":
    main()
