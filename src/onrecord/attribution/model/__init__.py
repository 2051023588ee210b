"""The trained attribution detector."""
