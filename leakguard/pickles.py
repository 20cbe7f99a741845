"""Pickled Python objects, read for their strings without being unpickled.

Datasets, fixtures, cached API sessions and model checkpoints are pickled
(``.pkl``, ``.joblib``, the ``data.pkl`` inside a PyTorch checkpoint, a
NumPy array of objects) with the personal data and tokens they hold in
clear; being binary, they went unread. ``pickletools`` walks a pickle's
opcodes without importing or running anything: each string argument (and
each bytes argument that is UTF-8 text) is one value, and the values, one
per line, are scanned as a text. Unpickling is never an option: a pickle
runs whatever code it names.
"""

from __future__ import annotations

from leakguard.formats import text_value

PICKLE = "pickle"
NUMPY = "NumPy object array"
FIELD = "pickled strings"  # the ``field`` of their fragments and findings

_NUMPY_MAGIC = b"\x93NUMPY"
# Opcodes whose argument names code rather than holding data.
_NAMES = frozenset({"GLOBAL", "INST"})
# Python 2's str: bytes, in whatever encoding its program used (UTF-8, mostly).
_PYTHON2_STRINGS = frozenset({"STRING", "BINSTRING", "SHORT_BINSTRING"})


def kind_of(data: bytes) -> str | None:
    """``pickle`` for a pickle of protocol 2 to 5 (what Python 3 writes:
    its PROTO opcode first, its STOP last), ``NumPy object array`` for an
    ``.npy`` array of Python objects (a pickle after its header), else None."""
    if len(data) > 2 and data[0] == 0x80 and 2 <= data[1] <= 5 and data.endswith(b"."):
        return PICKLE
    if data.startswith(_NUMPY_MAGIC) and _numpy_pickle(data) is not None:
        return NUMPY
    return None


def values(data: bytes, limit: int) -> tuple[list[str], str]:
    """The strings of a pickle (or NumPy object array), in the order they
    appear, up to ``limit`` characters in all; and why reading stopped
    early ("" when it did not: a damaged pickle keeps what came before)."""
    import pickletools  # only for a pickle: the hook never needs it

    found: list[str] = []
    left = limit
    start = _numpy_pickle(data) if data.startswith(_NUMPY_MAGIC) else 0
    try:
        for opcode, argument, _ in pickletools.genops(data[start or 0 :]):
            if opcode.name in _PYTHON2_STRINGS and isinstance(argument, str):
                argument = _utf8(argument)
            if isinstance(argument, bytes):
                argument = text_value(argument)
            if not isinstance(argument, str) or not argument or opcode.name in _NAMES:
                continue
            if len(argument) > left:
                return found, "larger than the size limit once unpacked"
            found.append(argument)
            left -= len(argument)
    except ValueError as error:  # truncated, damaged, or not a pickle after all
        return found, f"damaged pickle ({error})"
    return found, ""


def _utf8(value: str) -> str:
    """A Python 2 str, which pickletools reads as Latin-1: its bytes as UTF-8
    when they are (what most programs wrote), else as read."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return value


def _numpy_pickle(data: bytes) -> int | None:
    """Where the pickle of an ``.npy`` array of objects starts: after the
    header, whose dictionary gives the dtype (``|O`` for objects)."""
    if len(data) < 10:
        return None
    major = data[6]
    size_bytes = 2 if major == 1 else 4
    start = 8 + size_bytes
    header_size = int.from_bytes(data[8:start], "little")
    header = data[start : start + header_size]
    if b"'descr': '|O" not in header:  # "|O", or "|O8" as older NumPy wrote it
        return None
    return start + header_size
