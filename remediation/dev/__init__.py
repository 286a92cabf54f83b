"""Demo data of remediation (called by `manage.py seed_demo` through remediation.demo)."""
