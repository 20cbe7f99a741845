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
}

if __name__ == "__main__":
    for name, options in VARIANTS.items():
        pq.write_table(TABLE, HERE / f"{name}.parquet", **options)
    pq.write_table(TABLE.slice(0, 1), HERE / "first-row.parquet")  # an earlier version
