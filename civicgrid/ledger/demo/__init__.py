"""The ledger's demo seeds, one module per part of the ledger."""
