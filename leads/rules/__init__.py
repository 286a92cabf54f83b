"""Rules about leads that need no request: screening, leniency, conflicts."""
