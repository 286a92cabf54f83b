"""leadership's models, one module per part (supervision, reports, dashboard settings)."""
