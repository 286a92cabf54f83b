"""Remediation pages: thin adapters from a request to a selector or a service."""
