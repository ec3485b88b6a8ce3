"""The acceptance guide (《信访举报指南》), the publicity ledger and the
calendar poster. Included by ``urls.py`` (same namespace)."""

urlpatterns: list = []
