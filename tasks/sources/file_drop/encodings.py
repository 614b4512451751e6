"""Decode a dropped text file in its pinned encoding, then NFC; spot legacy fonts' text.

TCVN3 (ABC) and VNI were 8-bit font encodings: their bytes are valid Latin-1
and CP1258, so decoding "succeeds" into nonsense ("Ninh B×nh"). No codec
exists; we recognise their tell-tale characters and quarantine the file with a
reason instead of loading mojibake.
"""

from __future__ import annotations

import unicodedata

# Characters Vietnamese Unicode text never uses but TCVN3 uses for letters.
_TCVN3 = set("¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿×÷Æ")  # \u00ad is its ư
# Letters VNI uses as tone and vowel marks after a base letter (ñ is its đ).
_VNI = set("øûïñöåäëüÑÖØÛÏÅÄËÜ")
_CODECS = {"utf-8": "utf-8-sig", "utf-16": "utf-16", "cp1258": "cp1258"}
# Control bytes text never holds (tab, LF, CR aside). Random or compressed bytes are
# about 10% of them; a text file with one stray NUL far under 1%.
_CONTROL = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_BINARY_SHARE = 0.01


class DecodeFailure(ValueError):
    """The file is not text in its pinned encoding; the message says why, and where."""


def legacy_encoding(text: str) -> str | None:
    """'TCVN3' or 'VNI' when the text carries their marks, else None."""
    sample = text[:200_000]
    tcvn3 = sum(ch in _TCVN3 for ch in sample)
    vni = sum(ch in _VNI for ch in sample)
    if max(tcvn3, vni) < 2:
        return None
    return "TCVN3" if tcvn3 >= vni else "VNI"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _looks_utf16(data: bytes) -> bool:
    return data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:200].count(0) > 20


def _looks_binary(data: bytes) -> bool:
    """Mostly not text: checked first, as CP1258 decodes any bytes and random ones
    carry the marks legacy_encoding counts (binary was reported as "TCVN3 text")."""
    sample = data[: 64 * 2**10]
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls > len(sample) * _BINARY_SHARE


def decode_text(data: bytes, encoding: str) -> str:
    """NFC text of the file, or DecodeFailure naming the line and the likely cause."""
    if encoding != "utf-16" and not _looks_utf16(data) and _looks_binary(data):
        raise DecodeFailure(
            "binary data, not a text file (control bytes throughout): is it the right file?"
        )
    try:
        text = data.decode(_CODECS[encoding])
    except UnicodeDecodeError as exc:
        if _looks_utf16(data):
            raise DecodeFailure(
                "looks like UTF-16 (Excel 'Unicode Text'), not "
                f"{encoding}: set the source's encoding to utf-16"
            ) from exc
        legacy = legacy_encoding(data.decode("cp1258", errors="replace"))
        if legacy:
            raise DecodeFailure(_legacy_reason(legacy)) from exc
        raise DecodeFailure(
            f"line {_line_of(data, exc.start)}: not valid {encoding} (byte 0x{data[exc.start]:02x}"
            f" at offset {exc.start}); save the file as {encoding} or fix the source's encoding"
        ) from exc
    if (legacy := legacy_encoding(text)) is not None:
        raise DecodeFailure(_legacy_reason(legacy))
    return unicodedata.normalize("NFC", text)


def _legacy_reason(legacy: str) -> str:
    return (
        f"text in the legacy {legacy} font encoding, not Unicode: convert the file to "
        "Unicode (e.g. Unikey's converter) and drop it again"
    )
