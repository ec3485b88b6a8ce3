"""The ledger's writes, one module per part: each function keyword-only with an
explicit ``acting_user``, in a transaction, checking :mod:`..permissions`,
validating with :mod:`..rules` and appending to :mod:`..history`."""
