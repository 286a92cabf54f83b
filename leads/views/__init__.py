"""Views of the leads app, one module per resource (see leads/urls.py)."""
