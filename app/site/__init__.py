"""The resident-facing pages."""
