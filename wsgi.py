"""The only module gunicorn (and `flask --app wsgi`, hence karstas-vanduo) imports.

A setting the app cannot run with ends the process with one line naming it, not a traceback.
"""

import sys

from app import create_app
from app.settings_check import SettingsError

try:
    app = create_app()
except SettingsError as error:
    sys.exit(f"Error: {error}")
