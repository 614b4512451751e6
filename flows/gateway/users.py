"""Lead accounts of the gateway: PLAN06_GATEWAY_USERS, scrypt hashes, the password check.

PLAN06_GATEWAY_USERS is `name:hash,name2:hash`, each hash made by `plan06 gateway
hash-password` as `scrypt:N:r:p:<salt hex>:<key hex>` (colons and hex only, so
the value needs no quoting in a shell, a systemd unit or a compose file).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

USERS_ENV = "PLAN06_GATEWAY_USERS"
# A lead's name becomes a Prefect tag `lead:<name>` and a log field: a short slug only.
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
# scrypt, not sha256: the hashes sit in an environment (unit files, process
# listings, backups) and a leak must not give the passwords back; sha256 is
# tried billions of times a second on a GPU, scrypt costs 16 MiB and tens of
# milliseconds per try. N=2**14, r=8, p=1: the interactive-login cost.
N, R, P = 2**14, 8, 1
MAXMEM = 64 * 2**20  # room for the largest accepted cost (N=2**15, r=8: 32 MiB)
# Each check holds up to 32 MiB: two at a time bounds memory, whatever the traffic.
_CHECKS = threading.BoundedSemaphore(2)


class GatewayUsersError(ValueError):
    """PLAN06_GATEWAY_USERS is missing or an entry of it is malformed."""


@dataclass(frozen=True)
class PasswordHash:
    n: int
    r: int
    p: int
    salt: bytes
    key: bytes

    def matches(self, password: str) -> bool:
        with _CHECKS:
            derived = hashlib.scrypt(
                password.encode(), salt=self.salt, n=self.n, r=self.r, p=self.p,
                maxmem=MAXMEM, dklen=len(self.key),
            )  # fmt: skip
        return hmac.compare_digest(derived, self.key)


def hash_password(password: str) -> str:
    """The stored form of a password: scrypt with a fresh 16-byte salt."""
    salt = os.urandom(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, maxmem=MAXMEM, dklen=32)
    return f"scrypt:{N}:{R}:{P}:{salt.hex()}:{key.hex()}"


def parse_hash(text: str) -> PasswordHash:
    """A stored hash back into its parts; ValueError saying what is wrong."""
    parts = text.split(":")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise ValueError("its hash is not of the form scrypt:N:r:p:salt:key")
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, key = bytes.fromhex(parts[4]), bytes.fromhex(parts[5])
    except ValueError as exc:
        raise ValueError("its hash has a non-numeric cost or non-hex salt or key") from exc
    # bounded so that a typo cannot make each login take seconds or gigabytes
    if n not in {2**k for k in range(10, 16)} or not 1 <= r <= 8 or not 1 <= p <= 4:
        raise ValueError("its scrypt cost is outside N=2**10..2**15, r=1..8, p=1..4")
    if len(salt) < 16 or len(key) < 16:
        raise ValueError("its salt or key is shorter than 16 bytes")
    return PasswordHash(n, r, p, salt, key)


def parse_users(text: str) -> dict[str, PasswordHash]:
    """`name:hash,...` into accounts; GatewayUsersError naming the bad entry."""
    users: dict[str, PasswordHash] = {}
    for number, entry in enumerate((e.strip() for e in text.split(",") if e.strip()), 1):
        name, _, stored = entry.partition(":")
        if not NAME.fullmatch(name):
            raise GatewayUsersError(
                f"entry {number} of {USERS_ENV} has the name {name[:40]!r}: write it as 1-32"
                " lower-case letters, digits, dots, dashes or underscores, then ':' and the hash"
                " from `plan06 gateway hash-password`"
            )
        try:
            users[name] = parse_hash(stored)
        except ValueError as exc:
            raise GatewayUsersError(
                f"the account {name!r} of {USERS_ENV} is malformed ({exc}):"
                " make its hash again with `plan06 gateway hash-password`"
            ) from exc
    return users


def load_users(environ: Mapping[str, str] = os.environ) -> dict[str, PasswordHash]:
    """The lead accounts from the environment; GatewayUsersError if there are none."""
    users = parse_users(environ.get(USERS_ENV, ""))
    if not users:
        raise GatewayUsersError(
            f"plan06 gateway has no lead accounts: set {USERS_ENV} to name:hash pairs"
            " separated by commas, each hash made by `plan06 gateway hash-password`"
        )
    return users


# Checked when the name is unknown, so that a wrong name takes as long as a
# wrong password and the answer's timing does not tell which names exist.
@cache
def _decoy() -> PasswordHash:
    return parse_hash(hash_password(os.urandom(16).hex()))


def check(users: Mapping[str, PasswordHash], name: str, password: str) -> bool:
    """Whether `name` is an account and `password` its password."""
    known = users.get(name)
    matched = (known or _decoy()).matches(password)
    return known is not None and matched
