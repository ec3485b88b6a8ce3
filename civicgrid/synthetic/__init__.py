"""A synthetic history (``civicgrid seed-bulk``) for dashboards and benchmarks.

It sits on top of the house: it writes rows of appeals, whistles and the
rates' facts directly, so that no app below it needs to write another's
tables."""
