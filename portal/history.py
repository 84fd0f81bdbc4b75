"""django-simple-history's ``HistoricalRecords``, with its manager class made once per process.

Every save of a tracked record reads ``instance.history``, and simple-history's descriptor
then builds a new manager class from the historical queryset (``Manager.from_queryset``
inspects every queryset method): about a third of a millisecond on each saved visit, for a
class that is the same every time. ``History`` is ``HistoricalRecords`` with a manager whose
class is built once; the records, the tables and the admin are simple-history's own.
"""

from functools import cache

from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords


class HistoryManagerBuiltOnce(HistoryManager):
    @classmethod
    @cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class History(HistoricalRecords):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("history_manager", HistoryManagerBuiltOnce)
        super().__init__(*args, **kwargs)
