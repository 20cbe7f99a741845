"""Archives: the files inside zip, tar and compressed files.

Configuration backups, database dumps (``dump.sql.gz``), exported datasets
and packaged builds travel as archives, and Office documents are zip
archives of XML text: a scan that skips them as binary passes every
credential and address inside. Their member files are read within limits
(each within the size limit, all of them within a budget, archives inside
archives to a depth), so a decompression bomb costs a bounded amount, and
are shown as ``archive.zip!path/inside``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import NamedTuple

from leakguard.models import Skipped

SEPARATOR = "!"  # between an archive's path and a member's
DEPTH = 2  # archives inside archives opened (a backup of a project with its own zips)
BUDGET_FACTOR = 16  # all members of an archive together: this many times the size limit
MAX_MEMBERS = 20_000
_TEXT_SNIFF = 8192  # a NUL in this many first bytes: not text

# by their first bytes (a name can lie; .docx, .xlsx, .jar, .whl are zips)
_MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty one
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
)
_TAR_MAGIC = (257, b"ustar")
_COMPRESSED_SUFFIXES = {
    "gzip": (".gz", ".tgz"), "bzip2": (".bz2", ".tbz2"), "xz": (".xz", ".txz"),
    "zstd": (".zst", ".tzst"),
}


class Member(NamedTuple):
    """A member file's content, with the path it is shown at."""

    path: str
    data: bytes


# Names archives usually have: where a finding's path puts one before
# SEPARATOR, what follows is a member (a plain file may have "!" in its name)
SUFFIXES = (
    ".zip", ".tar", ".gz", ".tgz", ".bz2", ".tbz2", ".xz", ".txz", ".zst", ".tzst", ".egg", ".docx",
    ".xlsx", ".xlsm", ".pptx", ".odt", ".ods", ".odp", ".epub", ".apk", ".war", ".ear", ".nupkg",
)


def split_member(path: str) -> tuple[str, str | None]:
    """(the archive's path, the member inside it) for a member's path as
    findings show it (``backup.zip!config/.env``), else (path, None)."""
    outer, separator, member = path.partition(SEPARATOR)
    if separator and member and outer.lower().endswith(SUFFIXES):
        return outer, member
    return path, None


def kind_of(data: bytes) -> str | None:
    """``zip``, ``tar``, ``gzip``, ``bzip2``, ``xz`` or ``zstd`` when ``data``
    is one, else None."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    offset, magic = _TAR_MAGIC
    return "tar" if data[offset : offset + len(magic)] == magic else None


class _Budget:
    def __init__(self, left: int) -> None:
        self.left = left


class Unreadable(Exception):
    """``data`` starts like an archive but cannot be read as one (damaged,
    truncated, or a text file that happens to start so)."""


def members(path: str, data: bytes, *, max_size: int) -> list[Member | Skipped]:
    """Every member file of the archive ``data`` (at ``path``), archives in
    it opened in turn (one that cannot be is a note); what is too large or
    over the budget is a note too. ``Unreadable`` when ``data`` itself
    cannot be read as an archive."""
    budget = _Budget(BUDGET_FACTOR * max_size)  # shared by the archives inside
    try:
        found = _opened(path, data, max_size, budget)
    except _failures() as exc:
        raise Unreadable(str(exc) or type(exc).__name__) from exc
    return list(_nested(found, max_size, DEPTH - 1, budget))


def _nested(
    found: list[Member | Skipped], max_size: int, depth: int, budget: _Budget
) -> Iterator[Member | Skipped]:
    for item in found:
        if not (isinstance(item, Member) and depth > 0 and kind_of(item.data)):
            yield item
            continue
        try:
            inner = _opened(item.path, item.data, max_size, budget)
        except _failures() as exc:
            # text that starts like an archive ("BZh…") is text: read as such
            text = b"\0" not in item.data[:_TEXT_SNIFF]
            yield item if text else Skipped(item.path, f"archive that cannot be read ({exc})")
            continue
        yield from _nested(inner, max_size, depth - 1, budget)


def _zstd_reader(raw: io.BytesIO) -> io.BufferedIOBase:
    """A ZSTD stream (datasets and backups: ``.jsonl.zst``, ``.tar.zst``),
    through the ``zstandard`` package, read in full-size reads."""
    try:
        import zstandard
    except ImportError:
        raise NotImplementedError("ZSTD needs the zstandard package") from None
    reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
    return io.BufferedReader(reader)


def _failures() -> tuple[type[BaseException], ...]:
    """What reading a damaged archive raises: the modules' own errors, and
    what their decompressors and parsers let through."""
    import lzma
    import tarfile
    import zipfile
    import zlib

    failures: tuple[type[BaseException], ...] = (
        zipfile.BadZipFile, tarfile.TarError, lzma.LZMAError, zlib.error, OSError, EOFError,
        ValueError, RuntimeError, NotImplementedError,
    )
    try:
        import zstandard
    except ImportError:
        return failures
    return (*failures, zstandard.ZstdError)


def _opened(path: str, data: bytes, max_size: int, budget: _Budget) -> list[Member | Skipped]:
    """The members of one archive; one damaged part-way keeps those before
    the damage (and says so), one that yields nothing raises."""
    kind = kind_of(data)
    if kind is None:
        raise ValueError("not an archive")
    listed: list[Member | Skipped] = []
    try:
        if kind == "zip":
            listed.extend(_zip_members(path, data, max_size, budget))
        else:
            listed.extend(_tar_or_stream(path, data, kind, max_size, budget))
    except _failures() as exc:
        if not listed:
            raise
        listed.append(Skipped(path, f"archive damaged part-way ({exc}): the rest not scanned"))
    return listed


def _refused(path: str, size: int, max_size: int, budget: _Budget) -> Skipped | None:
    """Why a member of ``size`` bytes is not read, if it is not; a member to
    be read is taken from the budget."""
    if size > max_size:
        return Skipped(path, f"larger than the size limit ({size} > {max_size} bytes)",
                       size=size, too_large=True)
    if size > budget.left:
        return Skipped(path, "over the archive's budget of unpacked bytes", size=size,
                       too_large=True)
    budget.left -= size
    return None


def _zip_members(
    path: str, data: bytes, max_size: int, budget: _Budget
) -> Iterator[Member | Skipped]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = [info for info in archive.infolist() if not info.is_dir()]
        for info in files[:MAX_MEMBERS]:
            shown = f"{path}{SEPARATOR}{info.filename}"
            refused = _refused(shown, info.file_size, max_size, budget)
            if refused:
                yield refused
            elif info.flag_bits & 0x1:
                yield Skipped(shown, "encrypted archive member")
            else:
                try:
                    with archive.open(info) as member:
                        content = member.read(max_size + 1)  # the header's size can lie
                except _failures() as exc:  # its own damage, or a method zipfile lacks
                    yield Skipped(shown, f"archive member that cannot be read ({exc})")
                    continue
                if len(content) > max_size:
                    yield Skipped(shown, "larger than the size limit", too_large=True)
                else:
                    yield Member(shown, content)
        if len(files) > MAX_MEMBERS:
            yield Skipped(path, f"more than {MAX_MEMBERS} members: the rest not scanned",
                          too_large=True)


def _tar_or_stream(
    path: str, data: bytes, kind: str, max_size: int, budget: _Budget
) -> Iterator[Member | Skipped]:
    import tarfile

    try:  # closed by the "with" below: the error must be told apart first
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")  # noqa: SIM115
    except tarfile.ReadError:
        if kind == "tar":
            raise
        yield from _stream(path, data, kind, max_size, budget)  # one compressed file
        return
    with archive:
        for number, info in enumerate(archive):
            if number >= MAX_MEMBERS:
                yield Skipped(path, f"more than {MAX_MEMBERS} members: the rest not scanned",
                              too_large=True)
                return
            if not info.isfile():
                continue
            shown = f"{path}{SEPARATOR}{info.name}"
            refused = _refused(shown, info.size, max_size, budget)
            if refused:
                yield refused
                if info.size > budget.left:  # the next is reached by unpacking this one
                    yield Skipped(path, "over the archive's budget of unpacked bytes: the "
                                  "rest not scanned", too_large=True)
                    return
                budget.left -= info.size
                continue
            member = archive.extractfile(info)
            if member is not None:
                yield Member(shown, member.read(max_size + 1))


def _stream(
    path: str, data: bytes, kind: str, max_size: int, budget: _Budget
) -> Iterator[Member | Skipped]:
    """A single compressed file (``dump.sql.gz``), shown as the archive's path
    and its name without the compression suffix."""
    import bz2
    import gzip
    import lzma

    opened = io.BytesIO(data)
    name = path.rsplit(SEPARATOR, 1)[-1].rsplit("/", 1)[-1]
    for suffix in _COMPRESSED_SUFFIXES[kind]:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)] + (".tar" if suffix.startswith(".t") else "")
            break
    shown = f"{path}{SEPARATOR}{name}"
    openers: dict[str, Callable[[io.BytesIO], io.BufferedIOBase]] = {
        "gzip": lambda raw: gzip.GzipFile(fileobj=raw),  # its first argument is a file name
        "bzip2": bz2.BZ2File,
        "xz": lzma.LZMAFile,
        "zstd": _zstd_reader,
    }
    with openers[kind](opened) as stream:
        content = stream.read(max_size + 1)
    if len(content) > max_size:
        yield Skipped(shown, f"larger than the size limit once unpacked (> {max_size} bytes)",
                      too_large=True)
        return
    yield _refused(shown, len(content), max_size, budget) or Member(shown, content)
