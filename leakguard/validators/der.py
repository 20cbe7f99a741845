"""Just enough DER to recognise a private key: tag, length, value; integers,
object identifiers and sequences. Keys are decoded to check their structure,
never used, so nothing here needs the ``cryptography`` package.
"""

from __future__ import annotations

from typing import NamedTuple

SEQUENCE, INTEGER, BIT_STRING, OCTET_STRING, OID = 0x30, 0x02, 0x03, 0x04, 0x06


class DerError(ValueError):
    """The bytes are not the DER structure expected."""


class Element(NamedTuple):
    """One DER element (a named tuple: importing dataclasses costs a scan
    that meets a key 7 ms)."""

    tag: int
    value: bytes

    def children(self) -> list[Element]:
        if not self.tag & 0x20:
            raise DerError(f"tag {self.tag:#x} is not constructed")
        return read_all(self.value)

    def integer(self) -> int:
        if self.tag != INTEGER or not self.value:
            raise DerError("expected an INTEGER")
        return int.from_bytes(self.value, "big", signed=True)

    def oid(self) -> str:
        if self.tag != OID or not self.value:
            raise DerError("expected an OBJECT IDENTIFIER")
        first = self.value[0]
        arcs = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
        number = 0
        for byte in self.value[1:]:
            number = (number << 7) | (byte & 0x7F)
            if not byte & 0x80:
                arcs.append(number)
                number = 0
        return ".".join(str(arc) for arc in arcs)


def read(data: bytes, position: int = 0) -> tuple[Element, int]:
    """The element at ``position`` and the offset just after it."""
    if position + 2 > len(data):
        raise DerError("truncated element")
    tag = data[position]
    length = data[position + 1]
    position += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or position + count > len(data):
            raise DerError("bad length")
        length = int.from_bytes(data[position : position + count], "big")
        position += count
    end = position + length
    if end > len(data):
        raise DerError("truncated value")
    return Element(tag, data[position:end]), end


def read_all(data: bytes) -> list[Element]:
    elements = []
    position = 0
    while position < len(data):
        element, position = read(data, position)
        elements.append(element)
    return elements


def parse(data: bytes) -> Element:
    """One element that must span ``data`` exactly (trailing bytes are an error)."""
    element, end = read(data)
    if end != len(data):
        raise DerError(f"{len(data) - end} bytes after the structure")
    return element
