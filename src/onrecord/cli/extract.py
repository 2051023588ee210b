"""`onrecord extract` (being written)."""
