#!/usr/bin/env python
"""The integration suite's Django project: `python manage.py export_mizan_schema` prints its manifest."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itproject.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
