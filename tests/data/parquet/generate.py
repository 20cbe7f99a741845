"""Writes this folder's Parquet files with pyarrow, the reference writer
(not a leakguard dependency: ``pip install pyarrow`` to run this again).
Values are the suite's synthetic ones (tests/pii_vectors.py, tests/vectors.py).

    python tests/data/parquet/generate.py
"""

import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent))
from pii_vectors import EMAIL, LABELLED_PHONE, OTHER_EMAIL  # noqa: E402
from vectors import GITHUB_TOKEN  # noqa: E402

TABLE = pa.table({
    "id": pa.array([1, 2, 3, 4], pa.int64()),
    "name": pa.array(["Ana Lima", "Jo Berg", None, "Li Wei"], pa.string()),
    "email": pa.array([EMAIL, None, OTHER_EMAIL, "none"], pa.string()),
    "phone": pa.array([LABELLED_PHONE, "n/a", None, "n/a"], pa.string()),
    "tags": pa.array([["a"], [], None, [f"token {GITHUB_TOKEN}"]], pa.list_(pa.string())),
    "profile": pa.array(
        [{"city": "London", "note": "x"}, None, {"city": "York", "note": None},
         {"city": "Leeds", "note": "y"}],
        pa.struct([("city", pa.string()), ("note", pa.string())]),
    ),
    "raw": pa.array([b"\x00\x01", b"abc", None, b"zz"], pa.binary()),
})
VARIANTS = {
    "snappy": {"compression": "snappy"},
    "gzip": {"compression": "gzip"},
    "zstd": {"compression": "zstd"},
    "plain": {"compression": "none", "use_dictionary": False},
    "v2": {"compression": "snappy", "data_page_version": "2.0"},
    "v2-plain": {"compression": "gzip", "data_page_version": "2.0", "use_dictionary": False},
    "row-groups": {"compression": "snappy", "row_group_size": 2},
    "brotli": {"compression": "brotli"},
    "lz4": {"compression": "lz4"},
    # the delta encodings (Spark's version 2 writer uses them for strings)
    "delta": {"compression": "snappy", "use_dictionary": False, "column_encoding": {
        "name": "DELTA_BYTE_ARRAY", "email": "DELTA_LENGTH_BYTE_ARRAY",
        "phone": "DELTA_BYTE_ARRAY", "tags.list.element": "DELTA_LENGTH_BYTE_ARRAY",
        "profile.city": "DELTA_BYTE_ARRAY", "profile.note": "DELTA_LENGTH_BYTE_ARRAY",
        "raw": "DELTA_BYTE_ARRAY",
    }},
    "delta-v2": {"compression": "gzip", "use_dictionary": False, "data_page_version": "2.0",
                 "column_encoding": {"name": "DELTA_BYTE_ARRAY", "email": "DELTA_BYTE_ARRAY",
                                     "phone": "DELTA_LENGTH_BYTE_ARRAY"}},
}

def many(count: int = 1000) -> list[str]:
    """Values of many lengths sharing prefixes: delta pages of many blocks."""
    return [f"customer-{n:04d}-" + "x" * (n % 37) for n in range(count)]


if __name__ == "__main__":
    for name, options in VARIANTS.items():
        pq.write_table(TABLE, HERE / f"{name}.parquet", **options)
    pq.write_table(TABLE.slice(0, 1), HERE / "first-row.parquet")  # an earlier version
    pq.write_table(pa.table({"a": many(), "b": many()}), HERE / "delta-many.parquet",
                   use_dictionary=False,
                   column_encoding={"a": "DELTA_BYTE_ARRAY", "b": "DELTA_LENGTH_BYTE_ARRAY"})
