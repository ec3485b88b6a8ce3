"""The anonymous reporter's receipt (回执码): 16 random digits, shown once.

Only its Argon2id digest is stored. The salt is the deployment's
(``CIVICGRID_DISCIPLINE_RECEIPT_SALT``), not one per row, so that a receipt
finds its report by an indexed lookup; the cost of Argon2id (the parameters
below, chosen so that one check takes 50–250 ms — ``bench/discipline_intake.py``
says the figure) is what makes guessing 10¹⁶ receipts hopeless.
"""

from __future__ import annotations

import re
import secrets

from argon2.low_level import Type, hash_secret_raw
from django.conf import settings

DIGITS = 16
_SPACES = re.compile(r"[\s\-]+")

# Argon2id parameters: passes, memory in KiB, lanes.
TIME_COST = 2
MEMORY_KIB = 64 * 1024
PARALLELISM = 1


def new_receipt() -> str:
    """Sixteen digits from the operating system's random source."""
    return "".join(secrets.choice("0123456789") for _ in range(DIGITS))


def normalise(typed: str) -> str:
    """The receipt as typed, without the spaces and dashes it is shown with."""
    return _SPACES.sub("", typed or "")


def looks_like_receipt(typed: str) -> bool:
    value = normalise(typed)
    return len(value) == DIGITS and value.isascii() and value.isdigit()


def shown(receipt: str) -> str:
    """1234 5678 9012 3456: in fours, to read out and write down."""
    return " ".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def digest(receipt: str) -> str:
    """The Argon2id digest stored for ``receipt`` (hex)."""
    salt = settings.CIVICGRID_DISCIPLINE_RECEIPT_SALT.encode()
    raw = hash_secret_raw(
        normalise(receipt).encode("ascii"),
        salt,
        time_cost=int(getattr(settings, "CIVICGRID_DISCIPLINE_ARGON2_TIME", TIME_COST)),
        memory_cost=int(
            getattr(settings, "CIVICGRID_DISCIPLINE_ARGON2_MEMORY_KIB", MEMORY_KIB)
        ),
        parallelism=PARALLELISM,
        hash_len=32,
        type=Type.ID,
    )
    return raw.hex()
