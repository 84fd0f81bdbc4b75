"""One unit's maintenance-fund application, as the secretary prepares it: whether the owners
agreed to use the fund (Art. 278 item 5), each household's amount by area as the published
proposal wrote it (``Share.fund_amount``), its account balance where known, and who would fall
below the campaign's minimum and must top up (续交)."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from consultations.models import Item, Proposal, Share
from consultations.standing import votes_by_unit
from households.models import Household
from money.models import Books, FundAccount

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FundLine:
    household: Household
    amount: Decimal  # drawn from the household's own account
    first_deposit: Decimal | None
    balance: Decimal | None
    minimum: Decimal | None

    @property
    def after(self) -> Decimal | None:
        return None if self.balance is None else self.balance - self.amount

    @property
    def needs_top_up(self) -> bool:
        """The balance after the draw would fall below the minimum (or below zero when the
        first deposit, and so the minimum, is not known)."""
        if self.after is None:
            return False
        floor = self.minimum if self.minimum is not None else ZERO
        return self.after < floor


def fund_vote(unit):
    """The unit's published proposal and the result of its fund-use matter (item 5), or None
    for either. The result's ``passed`` says whether the fund may be drawn."""
    vote = votes_by_unit([unit], lambda u: u.building.campaign.consent_rule)[unit.pk]
    if vote.proposal is None:
        return None, None
    result = next(
        (r for r in vote.results if r.matter is not None and r.matter.item == Item.USE_FUND), None
    )
    return vote.proposal, result


def fund_lines(proposal: Proposal, books: Books) -> list[FundLine]:
    """Each household's draw, account and top-up flag, in the unit's order. Two queries."""
    shares = list(
        Share.objects.filter(proposal=proposal)
        .select_related("household__fund_account")
        .order_by("household__floor", "household__room", "household__pk")
    )
    lines = []
    for share in shares:
        account = getattr(share.household, "fund_account", None)
        first = account.first_deposit if account else None
        balance = account.balance if account else None
        lines.append(
            FundLine(share.household, share.fund_amount, first, balance, books.minimum_for(first))
        )
    return lines


def parse_accounts(text: str, households: list[Household]) -> tuple[dict, list[str]]:
    """Accounts pasted from the fund office's list, one ``room,first deposit,balance`` a line
    (tabs work too; a blank amount stays unknown). Returns ({household id: (first, balance)},
    errors in words); any error means nothing is saved."""
    rooms = {h.room: h for h in households}
    found, errors = {}, []
    sample = text.replace("\t", ",")
    for number, row in enumerate(csv.reader(io.StringIO(sample)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) == 2:  # a blank balance at the end of the line
            cells.append("")
        if len(cells) != 3:
            errors.append(_("第 %(line)s 行：应为“房号,首次交存额,余额”三项。") % {"line": number})
            continue
        room, *amounts = cells
        if room not in rooms:
            if number == 1 and not any(c[:1].isdigit() for c in cells[1:]):
                continue  # a header line
            errors.append(
                _("第 %(line)s 行：本单元没有房号 %(room)s。") % {"line": number, "room": room[:20]}
            )
            continue
        try:
            values = [parse_amount(a) for a in amounts]
        except ValueError:
            errors.append(
                _("第 %(line)s 行：金额应为不小于 0 的数字，最多两位小数。") % {"line": number}
            )
            continue
        found[rooms[room].pk] = tuple(values)
    if not found and not errors:
        errors.append(_("没有读到任何一户的数据。"))
    return found, errors


def parse_amount(text: str) -> Decimal | None:
    text = text.replace(",", "").replace("¥", "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if (
        not value.is_finite()
        or value < 0
        or value != value.quantize(Decimal("0.01"))
        or value >= 10**10
    ):
        raise ValueError(text)
    return value


def save_accounts(found: dict, by) -> int:
    for household_id, (first, balance) in found.items():
        FundAccount.objects.update_or_create(
            household_id=household_id,
            defaults={"first_deposit": first, "balance": balance, "updated_by": by},
        )
    return len(found)
