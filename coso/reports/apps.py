import os
import sys
import threading

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "coso.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        # the development server's serving process (the autoreloader's child): load WeasyPrint and
        # its fonts beside it, so that the first PDF does not wait for them (coso/reports/pdf.py)
        if os.environ.get("RUN_MAIN") == "true" and "runserver" in sys.argv:
            from . import pdf

            threading.Thread(target=pdf.warm_up, name="pdf-warm-up", daemon=True).start()
