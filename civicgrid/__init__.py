"""CivicGrid: grassroots governance — 接诉即办, 吹哨报到, the grid ledger, 三率."""
