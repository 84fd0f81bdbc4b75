"""The Redactor lives in core.redaction (the questions' public copy in campaigns needs it too);
this name stays for the code that imports it from here."""

from core.redaction import HIDDEN, Redactor

__all__ = ["HIDDEN", "Redactor"]
