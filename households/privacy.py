"""Masking of personal data (PIPL): what strangers and public pages may see of a person."""

import re

PHONE_DIGITS = re.compile(r"\D")


def mask_phone(phone: str) -> str:
    """138****1234 for a mobile number; keep only the last four digits of anything else."""
    digits = PHONE_DIGITS.sub("", phone or "")
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) > 4:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "*" * len(digits)


def mask_name(name: str) -> str:
    """The first character, then one star per remaining character (at least one): 张三 → 张*."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)
