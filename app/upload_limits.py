"""One per-IP limit on file uploads, shared by every form that takes a file (managers' lists, staff schedules).

Every attempt that carries a file counts, whether the file was read or refused: a hostile file that is
refused costs its sender as much as one that is read, so nobody can keep a worker busy with failures.
Posts without a file (a pasted list, a form with mistakes in its text fields) are left to each view's own
limits.

    @bp.post("/uploads")
    @limit_uploads
    def upload(): ...
"""

from flask import request
from flask_limiter.util import get_remote_address

from app.extensions import limiter

# Per client IP (the proxy's X-Forwarded-For when REVERSE_PROXY says how many there are), all forms together.
UPLOAD_LIMIT = "20 per hour;60 per day"
UPLOAD_SCOPE = "file-uploads"


def carries_a_file() -> bool:
    """Whether the posted form holds a chosen file (an empty file input sends a part with no name)."""
    return any(file.filename for file in request.files.values())


limit_uploads = limiter.shared_limit(
    UPLOAD_LIMIT,
    scope=UPLOAD_SCOPE,
    key_func=get_remote_address,
    methods=["POST"],
    exempt_when=lambda: not carries_a_file(),
)
