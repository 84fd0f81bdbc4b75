from money.models.fund import Books, FundAccount, FundApplication
from money.models.ledger import Entry, EntryQuerySet, LedgerRefused
from money.models.settlement import SettledShare, Settlement

__all__ = [
    "Books",
    "Entry",
    "EntryQuerySet",
    "FundAccount",
    "FundApplication",
    "LedgerRefused",
    "SettledShare",
    "Settlement",
]
