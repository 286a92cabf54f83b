"""Limits of the public survey, shared by its forms and its services."""

BATCH_MAX = 500  # codes per batch (one print run)
COMMENT_MAX = 1000  # characters of a comment
