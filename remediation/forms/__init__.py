"""Input validation of remediation pages (one module per part); cross-object rules live in
remediation.services so imports and commands get the same checks."""
