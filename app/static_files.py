"""Static file URLs that change when the file does (`/static/css/site.css?v=3f2a9c1e`).

nginx serves /static/ with a year-long, immutable cache (deploy/nginx): a browser asks again only when the
URL changes, which it does with the file's content, so a deployment never leaves a visitor on old CSS or JS.
"""

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from flask import Flask

VERSION_LENGTH = 8


@lru_cache(maxsize=256)
def _content_version(path: str, modified_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:VERSION_LENGTH]


def static_version(static_folder: str, filename: str) -> str | None:
    """The first 8 hex digits of the file's SHA-256 (None when there is no such file)."""
    path = os.path.join(static_folder, filename)
    try:
        modified_ns = os.stat(path).st_mtime_ns
    except (OSError, ValueError):
        return None
    return _content_version(path, modified_ns)


def init_static_versions(app: Flask) -> None:
    """Every url_for('static', filename=…) gets ?v=<content hash>."""

    @app.url_defaults
    def add_static_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values and app.static_folder:
            version = static_version(app.static_folder, values["filename"])
            if version:
                values["v"] = version
