"""Views of leadership."""
