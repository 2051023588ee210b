"""`onrecord eval` (being written)."""
