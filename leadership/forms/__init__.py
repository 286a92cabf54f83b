"""leadership's forms, one module per part (policy, supervision)."""
