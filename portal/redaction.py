"""The last line of defence for public text: staff write updates and answers, residents write
questions, and any of them may name a neighbour or give a phone number. Before such text
reaches a public page or the group-chat summary, every owner name of the campaign and every
number that looks like a phone, ID or bank-card number is replaced by "***". Dates and
amounts of money stay."""

import re

from households.models import Owner

HIDDEN = "***"
NUMBER = re.compile(
    r"(?<![\d.])(?:"
    r"1[3-9]\d(?:[\s\-]?\d){8}"  # a mobile number, 138 1234 5678 or 138-1234-5678 too
    r"|0\d{2,3}[\s\-]?\d{7,8}"  # a landline with its area code: 027-84561234
    r"|\d{11,}[Xx]?"  # ID and bank-card numbers
    r")(?![\d.])"
)
# Owner names of one character cannot be told from ordinary words; nobody is named that.
SHORTEST_NAME = 2


class Redactor:
    def __init__(self, names) -> None:
        names = sorted({n.strip() for n in names if len(n.strip()) >= SHORTEST_NAME}, key=len)
        self.names = re.compile("|".join(map(re.escape, reversed(names)))) if names else None

    @classmethod
    def for_campaign(cls, campaign) -> "Redactor":
        """One query: the names of every owner in the campaign."""
        names = Owner.objects.filter(household__unit__building__campaign=campaign).values_list(
            "name", flat=True
        )
        return cls(names)

    def __call__(self, text: str) -> str:
        text = NUMBER.sub(HIDDEN, text or "")
        if self.names is not None:
            text = self.names.sub(HIDDEN, text)
        return text
