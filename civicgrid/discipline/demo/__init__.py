"""The discipline channel's demo: its bodies and roster, a year of reports in
every state (``reports``), the acceptance guide and the publicity ledger
(``publicity``)."""

from . import publicity, reports  # noqa: F401 (they register their seeds)
