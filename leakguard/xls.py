"""Legacy Excel workbooks (``.xls``: BIFF8 records in an OLE2 compound file)
read as tables: each sheet's rows, as ``spreadsheets`` reads ``.xlsx``.

Such a file is binary: read as text it is nothing, and its strings are kept
apart from their cells (a shared string table), so a column's header no
longer labels them. ``sheets`` walks the compound file's sectors to its
``Workbook`` stream, reads the shared strings and each worksheet's cells
(text, numbers, the cached text of formulas), and writes them as tab-
separated rows, blank rows kept so that ``line`` is the row number.

Everything a file claims is checked before it is used: sector numbers
against the file, chains against loops, counts and sizes against what is
left to read and against ``limit``. A file that breaks any of that is
``spreadsheets.Unreadable``. Excel 95 workbooks (BIFF5) are named as not read.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

from leakguard.spreadsheets import Unreadable

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_WORKBOOK_STREAMS = ("workbook", "book")  # BIFF8's name, then BIFF5's
MAX_COLUMNS, MAX_ROWS = 256, 65_536  # a BIFF8 sheet's largest

# record types
_BOF, _EOF, _CONTINUE = 0x0809, 0x000A, 0x003C
_BOUNDSHEET, _SST = 0x0085, 0x00FC
_LABELSST, _LABEL, _RSTRING = 0x00FD, 0x0204, 0x00D6
_NUMBER, _RK, _MULRK = 0x0203, 0x027E, 0x00BD
_FORMULA, _STRING = 0x0006, 0x0207
_BIFF8 = 0x0600


def is_workbook(data: bytes) -> bool:
    """An OLE2 compound file holding an Excel workbook stream (a Word or
    Outlook file has the same container, not this stream)."""
    if not data.startswith(MAGIC):
        return False
    try:
        return _workbook_entry(_Compound(data)) is not None
    except Unreadable:
        return False


def sheets(data: bytes, limit: int) -> list[tuple[str, str]]:
    """(sheet name, its rows as tab-separated text) of each worksheet, the
    text of all of them together at most ``limit`` characters."""
    try:
        compound = _Compound(data)
        entry = _workbook_entry(compound)
        if entry is None:
            raise Unreadable("no workbook stream")
        stream = compound.stream(*entry, limit=max(limit, 1) * 4)
        return list(_sheets(stream, limit))
    except (struct.error, IndexError, UnicodeDecodeError, ValueError) as error:
        raise Unreadable(f"{type(error).__name__}: {error}") from None


class _Compound:
    """The sectors of an OLE2 compound file, as far as reading streams needs."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(MAGIC):
            raise Unreadable("not an OLE2 compound file")
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            raise Unreadable(f"sector sizes 2^{shift} and 2^{mini_shift}")
        self.size, self.mini_size = 1 << shift, 1 << mini_shift
        fat_sectors, self.directory_start = struct.unpack_from("<II", data, 44)
        self.mini_cutoff, self.mini_fat_start, _, difat_start, difat_count = struct.unpack_from(
            "<IIIII", data, 56
        )
        self.sectors = max(0, (len(data) - self.size) // self.size)
        if fat_sectors > self.sectors:
            raise Unreadable(f"{fat_sectors} FAT sectors in {self.sectors}")
        self.fat = self._fat(fat_sectors, difat_start, difat_count)
        self.entries = list(self._directory())

    def _sector(self, number: int) -> bytes:
        if number >= self.sectors:
            raise Unreadable(f"sector {number} past the file's end")
        start = (number + 1) * self.size
        return self.data[start : start + self.size]

    def _fat(self, count: int, difat_start: int, difat_count: int) -> list[int]:
        listed = list(struct.unpack_from("<109I", self.data, 76))
        sector, seen = difat_start, 0
        while sector != _END_OF_CHAIN and sector < 0xFFFFFFFA and len(listed) < count:
            seen += 1
            if seen > max(difat_count, 1) or seen > self.sectors:
                raise Unreadable("a DIFAT chain that loops")
            words = _words(self._sector(sector))
            listed.extend(words[:-1])
            sector = words[-1]
        if len(listed) < count:
            raise Unreadable(f"{len(listed)} of {count} FAT sectors listed")
        fat: list[int] = []
        for number in listed[:count]:
            fat.extend(_words(self._sector(number)))
        return fat

    def _chain(self, start: int, table: list[int]) -> Iterator[int]:
        sector, steps = start, 0
        while sector != _END_OF_CHAIN:
            if sector >= len(table):
                if sector >= 0xFFFFFFFA:  # free or a table sector: the chain has no end
                    return
                raise Unreadable(f"sector {sector} outside its table")
            steps += 1
            if steps > len(table):
                raise Unreadable("a sector chain that loops")
            yield sector
            sector = table[sector]

    def _chain_bytes(self, start: int, size: int) -> bytes:
        parts, got = [], 0
        for sector in self._chain(start, self.fat):
            if got >= size:
                break
            parts.append(self._sector(sector))
            got += self.size
        return b"".join(parts)[:size]

    def _directory(self) -> Iterator[tuple[str, int, int, int]]:
        """(name, type, start sector, size) of each directory entry."""
        table = self._chain_bytes(self.directory_start, self.sectors * self.size)
        for offset in range(0, len(table) - 127, 128):
            length, kind = struct.unpack_from("<HB", table, offset + 64)
            if kind == 0 or length < 2 or length > 64:
                continue
            name = table[offset : offset + length - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", table, offset + 116)
            yield name, kind, start, size & 0xFFFFFFFF

    def stream(self, start: int, size: int, *, limit: int) -> bytes:
        """A stream's bytes, all ``size`` of them (a chain that ends early is
        damage: what is missing would pass unread)."""
        if size > limit:
            raise Unreadable(f"its workbook stream is larger than the size limit ({size} bytes)")
        if size >= self.mini_cutoff:
            found = self._chain_bytes(start, size)
        else:
            found = self._mini_stream_bytes(start, size)
        if len(found) < size:
            raise Unreadable(f"its workbook stream is cut short ({len(found)} of {size} bytes)")
        return found

    def _mini_stream_bytes(self, start: int, size: int) -> bytes:
        """A small stream, kept in the root entry's mini stream (read only
        here: telling a workbook from another compound file needs neither)."""
        mini_fat = _words(self._chain_bytes(self.mini_fat_start, self.sectors * self.size))
        root = next((entry for entry in self.entries if entry[1] == 5), None)
        mini_stream = self._chain_bytes(root[2], root[3]) if root is not None and root[3] else b""
        parts = []
        for sector in self._chain(start, mini_fat):
            offset = sector * self.mini_size
            if offset + self.mini_size > len(mini_stream):
                raise Unreadable(f"mini sector {sector} past the mini stream's end")
            parts.append(mini_stream[offset : offset + self.mini_size])
        return b"".join(parts)[:size]


def _words(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4]))


def _workbook_entry(compound: _Compound) -> tuple[int, int] | None:
    for wanted in _WORKBOOK_STREAMS:
        for name, kind, start, size in compound.entries:
            if kind == 2 and name.lower() == wanted:
                return start, size
    return None


# --- BIFF records ---------------------------------------------------------------


def _records(stream: bytes, start: int = 0) -> Iterator[tuple[int, bytes, list[bytes]]]:
    """(type, data, the data of the CONTINUE records that follow) from ``start``."""
    position = start
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        data = stream[position + 4 : position + 4 + length]
        position += 4 + length
        continued = []
        while position + 4 <= len(stream):
            following, more = struct.unpack_from("<HH", stream, position)
            if following != _CONTINUE:
                break
            continued.append(stream[position + 4 : position + 4 + more])
            position += 4 + more
        yield kind, data, continued


def _sheets(stream: bytes, limit: int) -> Iterator[tuple[str, str]]:
    records = _records(stream)
    first = next(records, None)
    if first is None or first[0] != _BOF:
        raise Unreadable("no BOF record")
    version = struct.unpack_from("<H", first[1])[0] if len(first[1]) >= 2 else 0
    if version != _BIFF8:
        raise Unreadable("an Excel 95 or older workbook (BIFF5), not read")
    shared: list[str] = []
    boundsheets: list[tuple[int, str]] = []
    for kind, data, continued in records:
        if kind == _EOF:
            break
        if kind == _BOUNDSHEET and len(data) >= 8 and data[5] == 0:  # a worksheet
            offset = struct.unpack_from("<I", data)[0]
            name, _ = _short_string(data, 6)
            boundsheets.append((offset, name))
        elif kind == _SST:
            shared = _shared_strings(data, continued, limit)
    left = limit
    for offset, name in boundsheets:
        text = _rows(stream, offset, shared, left)
        left -= len(text)
        yield name, text


def _short_string(data: bytes, at: int) -> tuple[str, int]:
    """A ShortXLUnicodeString: a byte's count of characters, a flags byte."""
    count, flags = data[at], data[at + 1]
    return _characters(data, at + 2, count, flags & 1)


def _string(data: bytes, at: int) -> tuple[str, int]:
    """An XLUnicodeString: a 16-bit count of characters, a flags byte."""
    count, flags = struct.unpack_from("<HB", data, at)
    return _characters(data, at + 3, count, flags & 1)


def _characters(data: bytes, at: int, count: int, wide: int) -> tuple[str, int]:
    size = count * (2 if wide else 1)
    if at + size > len(data):
        raise Unreadable("a string past its record's end")
    raw = data[at : at + size]
    return raw.decode("utf-16-le" if wide else "latin-1"), at + size


def _shared_strings(data: bytes, continued: list[bytes], limit: int) -> list[str]:
    """The SST record's strings. A string's characters may run on into the
    next CONTINUE record, which then starts with a flags byte of its own (the
    rest may be one byte a character or two); formatting runs and phonetic
    data are skipped wherever they fall."""
    reader = _Continued([data, *continued])
    total = reader.u32()
    reader.u32()  # unique strings: the table holds these many
    found: list[str] = []
    size = 0
    while not reader.at_end() and len(found) < total:
        count, flags = reader.u16(), reader.u8()
        runs = reader.u16() if flags & 0x08 else 0
        extra = reader.u32() if flags & 0x04 else 0
        text = reader.characters(count, flags & 1)
        reader.skip(4 * runs + extra)
        found.append(text)
        size += len(text)
        if size > limit:
            raise Unreadable("its shared strings are larger than the size limit")
    return found


class _Continued:
    """A record's data and its CONTINUE records' read as one, but for the
    flags byte a string's characters find at the start of each continuation."""

    def __init__(self, parts: list[bytes]) -> None:
        self.parts = parts
        self.part = 0
        self.at = 0

    def at_end(self) -> bool:
        while self.part < len(self.parts) and self.at >= len(self.parts[self.part]):
            self.part, self.at = self.part + 1, 0
        return self.part >= len(self.parts)

    def take(self, size: int) -> bytes:
        pieces = []
        while size > 0:
            if self.at_end():
                raise Unreadable("a shared string past the table's end")
            current = self.parts[self.part]
            piece = current[self.at : self.at + size]
            pieces.append(piece)
            self.at += len(piece)
            size -= len(piece)
        return b"".join(pieces)

    def skip(self, size: int) -> None:
        self.take(size)

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return int(struct.unpack("<H", self.take(2))[0])

    def u32(self) -> int:
        return int(struct.unpack("<I", self.take(4))[0])

    def characters(self, count: int, wide: int) -> str:
        text: list[str] = []
        while count > 0:
            if self.at_end():
                raise Unreadable("a shared string past the table's end")
            if text and self.at == 0:  # a continuation: its own flags byte first
                wide = self.u8() & 1
            width = 2 if wide else 1
            room = (len(self.parts[self.part]) - self.at) // width
            if room == 0:
                raise Unreadable("a character split across records")
            chunk = min(count, room)
            raw = self.take(chunk * width)
            text.append(raw.decode("utf-16-le" if wide else "latin-1"))
            count -= chunk
        return "".join(text)


def _rows(stream: bytes, offset: int, shared: list[str], limit: int) -> str:
    """A worksheet's cells as tab-separated rows (quoted where a value needs
    it), blank rows kept so that line N is row N."""
    import csv

    if offset >= len(stream):
        raise Unreadable(f"a sheet at offset {offset}, past the stream's end")
    cells: dict[int, dict[int, str]] = {}
    size = 0
    pending_formula: tuple[int, int] | None = None
    records = _records(stream, offset)
    next(records, None)  # the sheet's BOF
    nested = 0  # a chart's substream inside the sheet: BOF ... EOF
    for kind, data, continued in records:
        if kind == _BOF:
            nested += 1
        elif kind == _EOF:
            if not nested:
                break
            nested -= 1
        if nested:
            continue
        if continued and kind in (_LABEL, _RSTRING, _STRING):
            data = _whole_string_record(kind, data, continued)
        found = _cell_values(kind, data, shared)
        if kind == _STRING and pending_formula is not None and len(data) >= 3:
            found = [(*pending_formula, _string(data, 0)[0])]
        pending_formula = None
        if kind == _FORMULA and len(data) >= 14 and data[6] == 0 and data[12:14] == b"\xff\xff":
            pending_formula = struct.unpack_from("<HH", data)  # its text follows in STRING
        for row, column, value in found:
            if column >= MAX_COLUMNS or row >= MAX_ROWS:
                raise Unreadable(f"a cell at row {row + 1}, column {column + 1}")
            if value:
                cells.setdefault(row, {})[column] = value
                size += len(value) + 1
                if size > limit:
                    raise Unreadable("its sheets are larger than the size limit")
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    written = 0
    for row in sorted(cells):
        out.write("\n" * (row - written))
        values = cells[row]
        writer.writerow([values.get(column, "") for column in range(max(values) + 1)])
        written = row + 1
    return out.getvalue()


def _whole_string_record(kind: int, data: bytes, continued: list[bytes]) -> bytes:
    """A text cell's or a formula's text record whose string runs on into
    CONTINUE records (a formula's text may be 32,767 characters), as one
    record holding the string whole, two bytes a character."""
    at = 0 if kind == _STRING else 6
    reader = _Continued([data, *continued])
    head = reader.take(at)
    count, flags = reader.u16(), reader.u8()
    text = reader.characters(count, flags & 1)
    return head + struct.pack("<HB", count, 1) + text.encode("utf-16-le")


def _cell_values(kind: int, data: bytes, shared: list[str]) -> list[tuple[int, int, str]]:
    """(row, column, text) of the cells one record holds."""
    if kind == _LABELSST and len(data) >= 10:
        row, column, _, index = struct.unpack_from("<HHHI", data)
        return [(row, column, shared[index] if index < len(shared) else "")]
    if kind in (_LABEL, _RSTRING) and len(data) >= 9:
        row, column = struct.unpack_from("<HH", data)
        return [(row, column, _string(data, 6)[0])]
    if kind == _NUMBER and len(data) >= 14:
        row, column, _, number = struct.unpack_from("<HHHd", data)
        return [(row, column, _number_text(number))]
    if kind == _RK and len(data) >= 10:
        row, column, _, rk = struct.unpack_from("<HHHI", data)
        return [(row, column, _number_text(_rk(rk)))]
    if kind == _MULRK and len(data) >= 6:
        row, first = struct.unpack_from("<HH", data)
        count = (len(data) - 6) // 6  # (format, RK value) pairs, then the last column
        values = (struct.unpack_from("<I", data, 6 + 6 * index)[0] for index in range(count))
        return [(row, first + index, _number_text(_rk(rk))) for index, rk in enumerate(values)]
    if kind == _FORMULA and len(data) >= 14 and data[12:14] != b"\xff\xff":
        row, column, _, number = struct.unpack_from("<HHHd", data)
        return [(row, column, _number_text(number))]
    return []


def _rk(value: int) -> float:
    """An RK number: a 30-bit integer or the top of a double, maybe hundredths."""
    if value & 2:
        number = float((value >> 2) - (1 << 30) if value & 0x80000000 else value >> 2)
    else:
        number = struct.unpack("<d", struct.pack("<Q", (value & 0xFFFFFFFC) << 32))[0]
    return number / 100 if value & 1 else number


def _number_text(number: float) -> str:
    """A number as a sheet shows it unformatted: whole numbers without ".0"
    (a phone or card number typed into a cell is stored as one)."""
    if number != number or number in (float("inf"), float("-inf")):
        return ""
    if number.is_integer() and abs(number) < 1e17:
        return str(int(number))
    return repr(number)
