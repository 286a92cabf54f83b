"""Pure rules of remediation (no database): the three don'ts, deadlines."""
