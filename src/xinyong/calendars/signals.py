"""Sent inside the transaction that changed the official schedule, after the cache is dropped.

Receivers recompute what they derived from a provisional calendar (R15), so the recomputation
commits or rolls back with the load itself.
"""

from django.dispatch import Signal

# kwargs: years (the years whose days changed)
calendar_changed = Signal()
