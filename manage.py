#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    from django.core.management import execute_from_command_line

    from backend.folders import make_local_folders

    make_local_folders()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
