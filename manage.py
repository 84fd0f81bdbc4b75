#!/usr/bin/env python
"""Django's command-line utility for the elevator-renewal portal."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}")
    except OperationalError as error:
        sys.exit(
            "Cannot reach the database. Is it running, and does DATABASE_URL point at it?\n"
            f"  {str(error).strip()}"
        )


if __name__ == "__main__":
    main()
