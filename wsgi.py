"""The only module gunicorn imports."""

from app import create_app

app = create_app()
