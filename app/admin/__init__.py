"""The staff area: sign-in, schedule upload → preview → publish, and the audit log."""
