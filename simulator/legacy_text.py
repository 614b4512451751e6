"""Vietnamese text in the legacy 8-bit font encodings (TCVN3/ABC and VNI Windows).

Only for making bad files: old Excel sheets still arrive in these. The TCVN3
table covers the letters of the sample names; other letters lose their marks.
"""

from __future__ import annotations

import unicodedata

_TCVN3 = {
    "à": 0xB5, "á": 0xB8, "ả": 0xB6, "ã": 0xB7, "ạ": 0xB9, "ă": 0xA8, "â": 0xA9,
    "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE, "ì": 0xD7, "í": 0xDD,
    "ấ": 0xCA, "ầ": 0xC7, "ờ": 0xEC, "ớ": 0xED, "ồ": 0xE0, "ố": 0xE3, "ộ": 0xE6,
    "ị": 0xDE, "ệ": 0xD6, "ế": 0xD5, "ề": 0xD2, "ợ": 0xEE, "ứ": 0xF8, "ừ": 0xF5,
    "Đ": 0xA7, "ò": 0xDF, "ó": 0xE3, "ú": 0xF3, "ù": 0xEF,
}  # fmt: skip
_VNI_MARKS = {"\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï",
              "\u0302": "â", "\u0306": "ê"}  # fmt: skip


def tcvn3_bytes(text: str) -> bytes:
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if char in _TCVN3:
            out.append(_TCVN3[char])
        else:
            base = unicodedata.normalize("NFD", char)[0]
            out += base.encode("ascii", errors="replace")
    return bytes(out)


def vni_bytes(text: str) -> bytes:
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        if char in "đĐ":
            out.append("ñ" if char == "đ" else "Ñ")
            continue
        if "\u031b" in marks:  # horn: ơ is ô, ư is ö in VNI
            base = {"o": "ô", "u": "ö", "O": "Ô", "U": "Ö"}[base]
        out.append(base + "".join(_VNI_MARKS.get(m, "") for m in marks))
    return "".join(out).encode("cp1252")
