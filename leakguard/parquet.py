"""Parquet files, read for the text values of their columns.

Parquet is what training data and data exports are kept in; being binary,
its personal data went unread. ``columns`` reads the file's footer (Thrift's
compact protocol), then each column of text (``BYTE_ARRAY``) in each row
group: the dictionary page, which holds every distinct value of a
dictionary-encoded column, and data pages in PLAIN or a delta encoding (as
Spark's version 2 writer makes them), version 1 or 2; pages are decompressed
with Snappy, gzip, ZSTD, LZ4 (raw) or none. A column's values, one per line,
are scanned as text named by the column's path (``email``, ``profile.city``):
the name labels the values, as a CSV header does. Columns compressed with
Brotli or the deprecated Hadoop LZ4 are named as not read.
"""

from __future__ import annotations

import functools
import zlib
from typing import Any, NamedTuple

from leakguard.formats import text_value

MAGIC = b"PAR1"
BYTE_ARRAY = 6
_CODECS = {0: "none", 1: "SNAPPY", 2: "GZIP", 3: "LZO", 4: "BROTLI", 5: "LZ4", 6: "ZSTD",
           7: "LZ4_RAW"}
# Brotli is left out: nothing bounds what a damaged page unpacks to (cramjam's
# output length is a hint), and the Hadoop-framed LZ4 (5) is deprecated.
_READABLE = (0, 1, 2, 6, 7)
_PLAIN, _PLAIN_DICTIONARY, _RLE_DICTIONARY = 0, 2, 8
_DATA_PAGE, _DICTIONARY_PAGE, _DATA_PAGE_V2 = 0, 2, 3
MAX_PAGE_VALUES = 1 << 23
# What reading metadata no writer gives raises (a list where a number goes,
# an offset past the end): the file's to say, so damage, not a bug.
_DAMAGE = (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError)


class Unreadable(Exception):
    """Not a Parquet file leakguard can read (damaged, or not Parquet at all)."""


class Column(NamedTuple):
    """One column's text values (``name``: its dotted path in the schema),
    and why some of them could not be read ("" when all were)."""

    name: str
    values: list[str]
    problem: str = ""


def is_parquet(data: bytes) -> bool:
    return len(data) >= 12 and data.startswith(MAGIC) and data.endswith(MAGIC)


def columns(data: bytes, limit: int) -> list[Column]:
    """The text columns of a Parquet file, one per row group (a column
    chunk), values in file order (distinct ones once per page), up to
    ``limit`` characters in all (a chunk past it says so)."""
    try:
        return _columns(data, limit)
    except _DAMAGE as error:
        raise Unreadable(f"unexpected metadata ({type(error).__name__})") from None


def _columns(data: bytes, limit: int) -> list[Column]:
    size = int.from_bytes(data[-8:-4], "little")
    if size > len(data) - 12:
        raise Unreadable("its footer runs past the start of the file")
    footer = _Reader(data, len(data) - 8 - size, len(data) - 8)
    metadata = footer.struct()
    levels = _levels(metadata.get(2, []))
    found = []
    left = limit
    for group in metadata.get(4, []):
        for chunk in group.get(1, []):
            meta = chunk.get(3, {})
            if meta.get(1) != BYTE_ARRAY:
                continue
            name = ".".join(_text(part) for part in meta.get(3, []))
            try:
                values, problem = _chunk_values(data, meta, levels.get(name, (0, 0)), left)
            except (Unreadable, *_DAMAGE) as damage:  # one damaged column hides no other
                values, problem = [], f"damaged ({damage or type(damage).__name__})"
            left -= sum(map(len, values))
            found.append(Column(name, values, problem))
    return found


def _chunk_values(
    data: bytes, meta: dict[int, Any], levels: tuple[int, int], left: int
) -> tuple[list[str], str]:
    codec = meta.get(4, 0)
    if codec not in _READABLE or (codec == 6 and not _available("zstandard")) or (
        codec == 7 and not _available("cramjam")
    ):
        return [], f"{_CODECS.get(codec, codec)} compression is not supported"
    # some writers put 0 for "no dictionary page": an offset inside the
    # leading magic is none
    start = min(offset for offset in (meta.get(9), meta.get(11)) if offset and offset >= 4)
    end = start + meta.get(7, 0)
    if not 0 <= start <= end <= len(data):
        raise Unreadable("a column chunk lies outside the file")
    values: list[str] = []
    reader = _Reader(data, start, end)
    while reader.position < end:
        header = reader.struct()
        compressed = header.get(3, 0)
        body = reader.take(compressed)
        kind = header.get(1)
        if kind == _DICTIONARY_PAGE:
            page, encoding = _inflate(body, codec, header.get(2, 0), left), _PLAIN
        elif kind == _DATA_PAGE:
            page = _inflate(body, codec, header.get(2, 0), left)
            encoding = header.get(5, {}).get(2, _PLAIN)
            page = _without_levels(page, levels)
        elif kind == _DATA_PAGE_V2:
            v2 = header.get(8, {})
            skipped = v2.get(5, 0) + v2.get(6, 0)
            rest = body[skipped:]
            page = _inflate(rest, codec, header.get(2, 0) - skipped, left) if v2.get(7, True) \
                else rest
            encoding = v2.get(4, _PLAIN)
        else:  # an index page
            continue
        if encoding in (_PLAIN_DICTIONARY, _RLE_DICTIONARY):
            continue  # indices into the dictionary page, whose values are read
        decoder = _DECODERS.get(encoding)
        if decoder is None:
            return values, f"values in encoding {encoding} are not read"
        for value in decoder(page):
            if len(value) > left:
                return values, "larger than the size limit once unpacked"
            values.append(value)
            left -= len(value)
    return values, ""


def _without_levels(page: bytes, levels: tuple[int, int]) -> bytes:
    """A version 1 data page's values: after its repetition and definition
    levels, each run prefixed with its length."""
    position = 0
    for level in levels:
        if level:
            position += 4 + int.from_bytes(page[position : position + 4], "little")
    return page[position:]


def _plain_values(page: bytes) -> list[str]:
    """PLAIN byte arrays (a 4-byte length, then the bytes) that are text:
    a binary column's images or hashes are not."""
    found = []
    position = 0
    while position + 4 <= len(page):
        length = int.from_bytes(page[position : position + 4], "little")
        value = page[position + 4 : position + 4 + length]
        if len(value) != length:
            raise Unreadable("a value runs past the end of its page")
        position += 4 + length
        text = text_value(value)
        if text is not None:
            found.append(text)
    return found


def _delta_length_values(page: bytes) -> list[str]:
    """DELTA_LENGTH_BYTE_ARRAY: every value's length (DELTA_BINARY_PACKED),
    then the values one after another."""
    lengths, position = _delta_packed(page, 0)
    found = []
    for length in lengths:
        value = page[position : position + length]
        if length < 0 or len(value) != length:
            raise Unreadable("a value runs past the end of its page")
        position += length
        text = text_value(value)
        if text is not None:
            found.append(text)
    return found


def _delta_values(page: bytes) -> list[str]:
    """DELTA_BYTE_ARRAY (front coding): how much of the previous value each
    value shares, then the rest of each as DELTA_LENGTH_BYTE_ARRAY."""
    shared, position = _delta_packed(page, 0)
    rests, position = _delta_packed(page, position)
    if len(shared) != len(rests):
        raise Unreadable("a page's prefixes and suffixes disagree")
    found = []
    previous = b""
    for keep, length in zip(shared, rests, strict=True):
        rest = page[position : position + length]
        if not 0 <= keep <= len(previous) or length < 0 or len(rest) != length:
            raise Unreadable("a value runs past the end of its page")
        position += length
        previous = previous[:keep] + rest
        text = text_value(previous)
        if text is not None:
            found.append(text)
    return found


def _delta_packed(data: bytes, position: int) -> tuple[list[int], int]:
    """DELTA_BINARY_PACKED integers from ``position``, and where they end: a
    header (block size, miniblocks a block, count, first value), then per
    block its minimum delta, its miniblocks' bit widths and their bits."""
    block, position = _varint(data, position)
    miniblocks, position = _varint(data, position)
    count, position = _varint(data, position)
    first, position = _varint(data, position)
    # a block's values take at least a byte (its minimum delta), and no page
    # holds millions of values: a header claiming more is damage
    if (not miniblocks or block % miniblocks or (block // miniblocks) % 8
            or count > min(len(data) * block, MAX_PAGE_VALUES)):
        raise Unreadable("a damaged DELTA_BINARY_PACKED header")
    per_miniblock = block // miniblocks
    found = [(first >> 1) ^ -(first & 1)] if count else []
    while len(found) < count:
        smallest, position = _varint(data, position)
        smallest = (smallest >> 1) ^ -(smallest & 1)
        widths = data[position : position + miniblocks]
        position += miniblocks
        for width in widths:
            if len(found) >= count:
                break
            if width > 64:
                raise Unreadable("a damaged DELTA_BINARY_PACKED block")
            size = width * per_miniblock // 8
            bits = int.from_bytes(data[position : position + size], "little")
            if position + size > len(data):
                raise Unreadable("a miniblock runs past the end of its page")
            position += size
            mask = (1 << width) - 1
            for index in range(min(per_miniblock, count - len(found))):
                found.append(found[-1] + smallest + ((bits >> (index * width)) & mask))
    return found, position


_DECODERS = {_PLAIN: _plain_values, 6: _delta_length_values, 7: _delta_values}


def _inflate(body: bytes, codec: int, size: int, left: int) -> bytes:
    """A page's ``size`` bytes unpacked, never more (a damaged header may
    claim anything)."""
    if not 0 <= size <= max(left, 0) + 1024 * 1024:
        raise Unreadable("a page unpacks past the size limit")
    if codec == 0:
        return body
    if codec == 6:
        import io

        import zstandard

        try:
            with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(body)) as stream:
                return stream.read(size + 1)
        except zstandard.ZstdError as error:
            raise Unreadable(f"a damaged ZSTD page ({error})") from None
    if codec == 2:
        try:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            return inflater.decompress(body, size + 1)
        except zlib.error as error:
            raise Unreadable(f"a damaged gzip page ({error})") from None
    if codec == 7:  # LZ4_RAW: a block, whose output length cramjam holds to
        import cramjam

        try:
            return bytes(cramjam.lz4.decompress_block(body, output_len=size))
        except cramjam.DecompressionError as error:
            raise Unreadable(f"a damaged LZ4 page ({error})") from None
    return snappy(body, size)


def snappy(data: bytes, expected: int, *, native: bool = True) -> bytes:
    """Raw Snappy (what Parquet pages hold) decompressed: a varint length,
    then literals and back-references. By ``cramjam`` when installed (a
    dependency: this loop runs at ~4 MB/s), once the length, which bounds
    the output, agrees with the page's header."""
    length, position = _varint(data, 0)
    if length != expected:
        raise Unreadable("a Snappy page's length disagrees with its header")
    if native and _available("cramjam"):
        import cramjam

        try:
            unpacked = bytes(cramjam.snappy.decompress_raw(data))
        except cramjam.DecompressionError as error:
            raise Unreadable(f"a damaged Snappy page ({error})") from None
        if len(unpacked) != length:
            raise Unreadable("a damaged Snappy page")
        return unpacked
    out = bytearray()
    while position < len(data):
        tag = data[position]
        position += 1
        kind = tag & 3
        if kind == 0:  # a literal
            count = tag >> 2
            if count >= 60:
                extra = count - 59
                count = int.from_bytes(data[position : position + extra], "little")
                position += extra
            count += 1
            if position + count > len(data) or len(out) + count > length:
                raise Unreadable("a damaged Snappy page")
            out += data[position : position + count]
            position += count
            continue
        if kind == 1:
            count = ((tag >> 2) & 7) + 4
            offset = ((tag >> 5) << 8) | data[position]
            position += 1
        else:
            count = (tag >> 2) + 1
            width = 2 if kind == 2 else 4
            offset = int.from_bytes(data[position : position + width], "little")
            position += width
        if not 0 < offset <= len(out) or len(out) + count > length:
            raise Unreadable("a damaged Snappy page")
        start = len(out) - offset
        out += (out[start:] * (count // offset + 1))[:count]
    if len(out) != length:
        raise Unreadable("a damaged Snappy page")
    return bytes(out)


@functools.cache
def _available(package: str) -> bool:
    """Whether a decompressor package is installed: ``zstandard`` (ZSTD,
    polars' default codec) and ``cramjam`` (fast Snappy, LZ4) are
    dependencies; an installation without one names such columns as not
    read (or, for Snappy, reads them slowly)."""
    import importlib.util

    return importlib.util.find_spec(package) is not None


def _levels(schema: list[dict[int, Any]]) -> dict[str, tuple[int, int]]:
    """Each leaf column's (maximum repetition, maximum definition) level,
    from the schema's flattened tree (REQUIRED 0, OPTIONAL 1, REPEATED 2)."""
    found: dict[str, tuple[int, int]] = {}

    def walk(index: int, path: tuple[str, ...], repetition: int, definition: int) -> int:
        element = schema[index]
        kind = element.get(3, 0)
        repetition += kind == 2
        definition += kind in (1, 2)
        here = (*path, _text(element.get(4, b""))) if index else path
        children = element.get(5, 0)
        following = index + 1
        if not children:
            found[".".join(here)] = (repetition, definition)
        for _ in range(children):
            following = walk(following, here, repetition, definition)
        return following

    if schema:
        walk(0, (), -(schema[0].get(3, 0) == 2), -(schema[0].get(3, 0) in (1, 2)))
    return found


def _text(value: bytes) -> str:
    return value.decode("utf-8", "replace")


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if position >= len(data):
            raise Unreadable("a number runs past the end of the data")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, position
        shift += 7


class _Reader:
    """Thrift's compact protocol over ``data[position:end]``: structs as
    {field id: value}, lists as lists."""

    def __init__(self, data: bytes, position: int, end: int) -> None:
        self.data, self.position, self.end = data, position, end

    def take(self, count: int) -> bytes:
        if count < 0 or self.position + count > self.end:
            raise Unreadable("a field runs past the end of its part")
        taken = self.data[self.position : self.position + count]
        self.position += count
        return taken

    def _varint(self) -> int:
        value, self.position = _varint(self.data[: self.end], self.position)
        return value

    def _zigzag(self) -> int:
        value = self._varint()
        return (value >> 1) ^ -(value & 1)

    def struct(self, depth: int = 0) -> dict[int, Any]:
        if depth > 32:
            raise Unreadable("its metadata nests too deeply")
        fields: dict[int, Any] = {}
        field = 0
        while True:
            header = self.take(1)[0]
            if header == 0:
                return fields
            delta, kind = header >> 4, header & 0x0F
            field = field + delta if delta else self._zigzag()
            fields[field] = self._value(kind, depth)

    def _value(self, kind: int, depth: int) -> Any:
        if kind in (1, 2):  # a boolean, in the field header
            return kind == 1
        if kind == 3:
            return self.take(1)[0]
        if kind in (4, 5, 6):
            return self._zigzag()
        if kind == 7:
            return self.take(8)
        if kind == 8:
            return self.take(self._varint())
        if kind in (9, 10):
            header = self.take(1)[0]
            count, element = header >> 4, header & 0x0F
            if count == 15:
                count = self._varint()
            if element in (1, 2):  # booleans in a list: a byte each
                return [self.take(1)[0] == 1 for _ in range(count)]
            return [self._value(element, depth + 1) for _ in range(count)]
        if kind == 11:
            count = self._varint()
            if not count:
                return {}
            types = self.take(1)[0]
            return {
                self._value(types >> 4, depth + 1): self._value(types & 0x0F, depth + 1)
                for _ in range(count)
            }
        if kind == 12:
            return self.struct(depth + 1)
        raise Unreadable(f"unknown Thrift type {kind} in its metadata")
