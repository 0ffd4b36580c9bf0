"""What the ledger announces, for the layers above it to act on (they listen; the ledger never calls up).

``budget_changed``: a budget was written (its revision is already the new one), inside the writer's transaction
and with the budget row locked. Sent with ``budget``. The audit app stores the rules' verdict on it
(audit.receivers)."""

from django.dispatch import Signal

budget_changed = Signal()
