"""The staff queue and the ledger exports."""
