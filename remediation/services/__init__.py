"""Write side of remediation: every change goes through a function here."""
