"""Demo: the acceptance guide and the publicity ledger."""
