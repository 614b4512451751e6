"""Which source field is which kind field: spelling and words, diacritics and case aside.

`Ngày tiếp nhận`, `ngay_tiep_nhan` and `NgayTiepNhan` are one name; `Đã quét
GCN` is `GiayChungNhanDaQuet` (an acronym meets the words it stands for);
`donVi.ma` is `MaDonVi` (the words of a nested path count too). Pairs are
taken best first, each source field used once.
"""

from __future__ import annotations

import difflib
import re
import unicodedata


def normalise(name: str) -> str:
    """`Ngày tiếp nhận`, `ngay_tiep_nhan`, `NgayTiepNhan` -> `ngaytiepnhan`."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return re.sub(
        r"[^a-z0-9]", "", "".join(c for c in text if not unicodedata.combining(c)).lower()
    )


def tokens(name: str) -> list[str]:
    """Words of a field name: `ChuSuDungDaXacThuc`, `chu_su_dung`, `Đã xác thực` alike."""
    spaced = "".join(
        f" {c}" if c.isupper() and i and (name[i - 1].islower() or name[i - 1].isdigit()) else c
        for i, c in enumerate(name)
    )
    return [normalise(w) for w in re.split(r"[\W_]+", spaced) if normalise(w)]


def _covered(kind_words: list[str], source_words: list[str]) -> float:
    """Share of both names' words that meet, an acronym (GCN) meeting its words."""
    used, covered = set(), set()
    for j, word in enumerate(source_words):
        if word in kind_words:
            used.add(j)
            covered.add(kind_words.index(word))
            continue
        for i in range(len(kind_words) - len(word) + 1):  # an acronym of consecutive words
            run = kind_words[i : i + len(word)]
            if len(word) > 1 and "".join(w[0] for w in run) == word:
                used.add(j)
                covered.update(range(i, i + len(word)))
    if not kind_words or not source_words:
        return 0.0
    return min(len(covered) / len(kind_words), len(used) / len(source_words))


def score(kind_name: str, path: str) -> float:
    """How alike a kind field and a source path are, 0..1 (1: the same words)."""
    leaf = path.split(".")[-1]
    wanted = normalise(kind_name)
    if wanted in (normalise(path), normalise(leaf)):
        return 1.0
    spelled = max(difflib.SequenceMatcher(None, wanted, normalise(p)).ratio() for p in (path, leaf))
    words = tokens(kind_name)
    return max(spelled, _covered(words, tokens(leaf)), _covered(words, tokens(path)))


def assign(names: list[str], paths: list[str], cutoff: float = 0.72) -> dict[str, str]:
    """Kind field -> source path, best pairs first, each path used once."""
    pairs = sorted(((score(n, p), n, p) for n in names for p in paths), reverse=True)
    chosen: dict[str, str] = {}
    for value, name, path in pairs:
        if value >= cutoff and name not in chosen and path not in chosen.values():
            chosen[name] = path
    return chosen
