from __future__ import annotations

import difflib
import random

import pytest

from leakguard.diff import FilePatch, parse, parse_file, unquote
from leakguard.models import LineRuns

PATCH = b"""diff --git a/app.py b/app.py
index 1111111..2222222 100644
--- a/app.py
+++ b/app.py
@@ -3,0 +4,2 @@ def main():
+    token = "abc"
+    other = 1
@@ -10 +12 @@ def tail():
-    old = 2
+    new = 2\r
diff --git a/gone.txt b/gone.txt
deleted file mode 100644
index 3333333..0000000
--- a/gone.txt
+++ /dev/null
@@ -1 +0,0 @@
-bye
diff --git a/logo.png b/logo.png
new file mode 100644
index 0000000..4444444
Binary files /dev/null and b/logo.png differ
diff --git a/old name.txt b/new name.txt
similarity index 90%
rename from old name.txt
rename to new name.txt
index 5555555..6666666 100644
--- a/old name.txt\t
+++ b/new name.txt\t
@@ -1,0 +2 @@
+added after rename
\\ No newline at end of file
diff --git a/lib b/lib
new file mode 160000
index 0000000..7777777
--- /dev/null
+++ b/lib
@@ -0,0 +1 @@
+Subproject commit 7777777777777777777777777777777777777777
"""


def test_parse_a_multi_file_patch() -> None:
    patches = list(parse(PATCH))
    assert patches == [
        FilePatch(
            "app.py", b'    token = "abc"\n    other = 1\n    new = 2', LineRuns.of((4, 5, 12)),
            blob="2222222", old_blob="1111111",
        ),
        FilePatch("gone.txt", deleted=True),
        FilePatch("logo.png", binary=True, blob="4444444"),
        FilePatch("new name.txt", b"added after rename", LineRuns.of((2,)), old_path="old name.txt",
                  blob="6666666", old_blob="5555555"),
        FilePatch("lib", submodule=True),
    ]
    assert patches[0].added[2] == (12, b"    new = 2")


def test_a_changed_binary_names_both_versions() -> None:
    section = (b"diff --git a/x.bin b/x.bin\nindex 1111111..2222222 100644\n"
               b"Binary files a/x.bin and b/x.bin differ\n")
    assert parse_file(section) == FilePatch(
        "x.bin", binary=True, blob="2222222", old_blob="1111111"
    )


@pytest.mark.parametrize(
    ("quoted", "plain"),
    [
        (b'"b/caf\\303\\251.txt"', "b/café.txt".encode()),
        (b'"b/new\\nline.txt"', b"b/new\nline.txt"),
        (b'"b/tab\\there \\"quoted\\" back\\\\slash"', b'b/tab\there "quoted" back\\slash'),
        (b"b/plain.txt", b"b/plain.txt"),
    ],
)
def test_unquote(quoted: bytes, plain: bytes) -> None:
    assert unquote(quoted) == plain


def test_quoted_paths_from_headers() -> None:
    patch = (
        b'diff --git "a/new\\nline.txt" "b/new\\nline.txt"\n'
        b"new file mode 100644\nindex 0000000..1111111\n--- /dev/null\n"
        b'+++ "b/new\\nline.txt"\n@@ -0,0 +1 @@\n+x\n'
        b'diff --git "a/bin\\303\\251.dat" "b/bin\\303\\251.dat"\n'
        b"new file mode 100644\nindex 0000000..2222222\n"
        b'Binary files /dev/null and "b/bin\\303\\251.dat" differ\n'
    )
    first, second = parse(patch)
    assert first.path == "new\nline.txt" and first.added == ((1, b"x"),)
    assert second.path == "binée.dat".replace("ée", "é") and second.binary


def test_non_utf8_path_survives_as_surrogates() -> None:
    patch = (
        b"diff --git a/caf\xe9.txt b/caf\xe9.txt\nnew file mode 100644\n"
        b"index 0000000..1111111\n--- /dev/null\n+++ b/caf\xe9.txt\n@@ -0,0 +1 @@\n+x\n"
    )
    [only] = parse(patch)
    assert only.path == "caf\udce9.txt"
    assert only.path.encode("utf-8", "surrogateescape") == b"caf\xe9.txt"


def test_context_lines_count_towards_new_line_numbers() -> None:
    patch = (
        b"diff --git a/a b/a\nindex 1..2 100644\n--- a/a\n+++ b/a\n"
        b"@@ -1,3 +1,4 @@\n one\n-two\n+TWO\n+extra\n three\n"
    )
    [only] = parse(patch)
    assert only.added == ((2, b"TWO"), (3, b"extra"))


def _git_style(old: list[str], new: list[str], context: int) -> bytes:
    body = "\n".join(difflib.unified_diff(old, new, "a/f", "b/f", n=context, lineterm=""))
    return f"diff --git a/f b/f\nindex 1..2 100644\n{body}\n".encode()


@pytest.mark.parametrize("context", [0, 3])
@pytest.mark.parametrize("seed", range(40))
def test_added_lines_and_numbers_of_random_edits(seed: int, context: int) -> None:
    """Against difflib's own account of the edit: every inserted or replacing
    line with its number in the new file, for -U0 and for context hunks."""
    chance = random.Random(seed)
    old = [f"line {chance.randrange(30)}" for _ in range(chance.randrange(1, 60))]
    new = [line for line in old if chance.random() > 0.2]
    for _ in range(chance.randrange(1, 10)):
        new.insert(chance.randrange(len(new) + 1), f"+new {chance.randrange(1000)}")
    expected = [
        (number + 1, new[number].encode())
        for tag, _, _, first, last in difflib.SequenceMatcher(None, old, new).get_opcodes()
        if tag in ("insert", "replace")
        for number in range(first, last)
    ]
    [patch] = parse(_git_style(old, new, context))
    assert list(patch.added) == expected


def test_last_line_without_a_newline_and_deletion_only_hunks() -> None:
    patch = (
        b"diff --git a/a b/a\nindex 1..2 100644\n--- a/a\n+++ b/a\n"
        b"@@ -2 +1,0 @@\n-gone\n@@ -5,0 +5 @@\n+kept\n@@ -9 +9 @@\n-x\n\\ No newline at end of file\n+y"
    )
    [only] = parse(patch)
    assert only.added == ((5, b"kept"), (9, b"y"))


def test_empty_added_lines_and_lines_that_look_like_markers() -> None:
    patch = (
        b"diff --git a/a b/a\nindex 1..2 100644\n--- a/a\n+++ b/a\n"
        b"@@ -1,2 +1,5 @@\n-\n-old\n+\n++plus\n+-minus\n+\\ backslash\n+@@ not a hunk @@\n"
    )
    [only] = parse(patch)
    assert only.added == (
        (1, b""), (2, b"+plus"), (3, b"-minus"), (4, b"\\ backslash"), (5, b"@@ not a hunk @@"),
    )
