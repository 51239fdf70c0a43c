"""The stable, versioned JSON API."""
