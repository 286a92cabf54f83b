"""Read side of remediation: lists, figures and summaries (no writes)."""
