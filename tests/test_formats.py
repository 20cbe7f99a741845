from __future__ import annotations

import io
import json
import random

import pytest
from pii_vectors import CARD, EMAIL, OTHER_EMAIL, PHONE, SSN

from leakguard import formats
from leakguard.models import FieldSpan, Fragment, Skipped


def _notebook(cells: list[dict[str, object]]) -> str:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
                      indent=1)


@pytest.mark.parametrize(
    ("path", "kind"),
    [("a/b.ipynb", "notebook"), ("x.CSV", "csv"), ("x.tsv", "csv"), ("x.jsonl", "jsonl"),
     ("x.ndjson", "jsonl"), ("x.json", None), ("README", None)],
)
def test_kind(path: str, kind: str | None) -> None:
    assert formats.kind(path) == kind


def test_notebook_cells_and_text_outputs_are_fragments_with_cell_numbers() -> None:
    text = _notebook([
        {"cell_type": "markdown", "source": "# Title", "metadata": {}},
        {"cell_type": "code", "source": ["x = 1\n", f"to = '{EMAIL}'\n"], "metadata": {"id": "9f"},
         "execution_count": 1, "outputs": [
             {"output_type": "stream", "name": "stdout", "text": ["ok\n", f"{PHONE}\n"]},
             {"output_type": "display_data", "metadata": {},
              "data": {"image/png": f"iVBOR{CARD}", "text/plain": ["<Figure>"],
                       "text/html": [f"<td>{SSN}</td>"]}},
             {"output_type": "error", "ename": "E", "evalue": "bad",
              "traceback": ["line one", f"line {OTHER_EMAIL}"]},
         ]},
    ])
    fragments = list(formats.fragments("nb.ipynb", text, "staged"))
    found = [(f.cell, f.field, f.text) for f in fragments]
    assert found == [
        (1, "source", "# Title"),
        (2, "source", f"x = 1\nto = '{EMAIL}'\n"),
        (2, "outputs[0].text", f"ok\n{PHONE}\n"),
        (2, "outputs[1].text/html", f"<td>{SSN}</td>"),
        (2, "outputs[1].text/plain", "<Figure>"),
        (2, "outputs[2].evalue", "bad"),
        (2, "outputs[2].traceback", f"line one\nline {OTHER_EMAIL}"),
        (None, "metadata", json.dumps({"cells[1]": {"metadata": {"id": "9f"}}}, indent=1)),
    ]
    assert all(f.origin == "staged" and f.start_line == 1 for f in fragments)
    assert not any(CARD in f.text for f in fragments)  # image payloads are skipped


def test_the_rest_of_a_notebook_is_one_more_fragment() -> None:
    """Metadata (the notebook's, a cell's, an output's) and text attachments
    were read by no one: a token there passed every scan."""
    document = json.loads(_notebook([
        {"cell_type": "markdown", "source": "hi", "metadata": {"tags": ["parameters"]},
         "attachments": {"a.txt": {"text/plain": f"mail {EMAIL}", "image/png": f"iVBOR{CARD}"},
                         "b.png": {"image/png": "iVBOR"}}},
        {"cell_type": "code", "source": "x", "metadata": {}, "execution_count": 1, "outputs": [
            {"output_type": "stream", "name": "stdout", "text": "ok", "metadata": {"to": PHONE}},
        ]},
    ]))
    document["metadata"] = {"kernelspec": {"name": "python3"}, "owner": SSN}
    rest = json.loads(formats.notebook_rest(document))
    assert rest == {
        "metadata": {"kernelspec": {"name": "python3"}, "owner": SSN},
        "cells[0]": {"metadata": {"tags": ["parameters"]},
                     "attachments": {"a.txt": {"text/plain": f"mail {EMAIL}"}}},
        "cells[1]": {"outputs[0].metadata": {"to": PHONE}},
    }
    [fragment] = [f for f in formats.fragments("nb.ipynb", json.dumps(document)) if not f.cell]
    assert fragment.field == "metadata" and SSN in fragment.text and CARD not in fragment.text
    assert formats.notebook_rest(json.loads(_notebook([]))) == ""  # empty metadata: nothing


def test_a_broken_notebook_is_scanned_as_text() -> None:
    [fragment] = formats.fragments("nb.ipynb", '{"cells": [ oops ' + EMAIL)
    assert fragment.cell is None and EMAIL in fragment.text


def test_csv_rows_keep_file_text_and_locate_fields() -> None:
    text = f'id,"e-mail",note\n1,{EMAIL},"multi\nline {PHONE}"\n2,{OTHER_EMAIL},x\n'
    header, chunk = formats.fragments("people.csv", text)
    assert header.text == 'id,"e-mail",note\n' and header.spans == ()
    assert chunk.text == text[len(header.text):]
    assert chunk.start_line == 2 and chunk.context == header.text
    by_value = {chunk.text[s.start:s.end]: (s.row, s.field) for s in chunk.spans if s.field}
    assert by_value[EMAIL] == (1, "e-mail")
    assert by_value[f"multi\nline {PHONE}"] == (1, "note")
    assert by_value[OTHER_EMAIL] == (2, "e-mail")


@pytest.mark.parametrize(
    ("record", "values"),
    [
        ("a,b,c\n", ["a", "b", "c"]),
        ('"a,1","b""q",\r\n', ["a,1", 'b""q', ""]),
        ("a\tb\n", ["a\tb"]),
        ('"open,quote', ["open,quote"]),
    ],
)
def test_split_record(record: str, values: list[str]) -> None:
    assert [record[s:e] for s, e, _ in formats.split_record(record, ",")] == values


def test_jsonl_values_carry_key_paths_and_invalid_lines_are_text() -> None:
    lines = [json.dumps({"user": {"email": EMAIL, "tags": [PHONE]}, "card": int(CARD)}) + "\n",
             "\n", f"not json {OTHER_EMAIL}\n"]
    [chunk] = formats.fragments("events.jsonl", "".join(lines))
    fields = {chunk.text[s.start:s.end]: (s.row, s.field) for s in chunk.spans if s.field}
    assert fields == {EMAIL: (1, "user.email"), PHONE: (1, "user.tags[0]"), CARD: (1, "card")}
    assert chunk.spans[-1].row == 2 and chunk.spans[-1].field is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [('{"a": 1, "b": "x"}', [(6, 7, "a", False), (15, 16, "b", True)]),
     ('[true, null]', [(1, 5, "[0]", False), (7, 11, "[1]", False)]),
     ('{"a": 1} trailing', None), ('{"a" 1}', None), ("", None)],
)
def test_json_values(text: str, expected: list[tuple[int, int, str, bool]] | None) -> None:
    assert formats.json_values(text) == expected


def test_large_data_is_chunked_and_rows_continue_across_chunks() -> None:
    lines = ["email\n"] + [f"user{n}@mail.de\n" for n in range(formats.CHUNK_ROWS + 5)]
    items = list(formats.data_fragments("big.csv", lines))
    assert len(items) == 3  # header, a full chunk, the rest
    last = items[-1]
    assert isinstance(last, Fragment)
    assert last.start_line == formats.CHUNK_ROWS + 2
    assert last.spans[0].row == formats.CHUNK_ROWS + 1


def test_a_record_over_the_limit_stops_the_file_with_a_note() -> None:
    lines = ["a\n", "1\n", "x" * 100 + "\n", "3\n"]
    items = list(formats.data_fragments("d.csv", lines, max_record=50))
    assert isinstance(items[-1], Skipped) and "row 2" in items[-1].reason
    assert not items[-1].error
    assert [i.text for i in items if isinstance(i, Fragment)] == ["a\n", "1\n"]


def test_lines_end_at_newlines_only() -> None:
    text = 'note\n"a\u2028b\rc"\nx\n'
    fragments = list(formats.fragments("d.csv", text))
    assert "".join(f.text for f in fragments) == text
    assert [f.start_line for f in fragments] == [1, 2]


def test_changed_fragments_keep_only_new_cells_and_rows() -> None:
    import json

    from leakguard.formats import changed_fragments

    def notebook(*cells: str) -> str:
        return json.dumps({"cells": [{"cell_type": "code", "source": c, "metadata": {},
                                      "outputs": []} for c in cells],
                           "metadata": {}, "nbformat": 4, "nbformat_minor": 5})

    new_cells = changed_fragments("a.ipynb", notebook("old", "new"), notebook("old"), set(), "staged")
    assert [(f.cell, f.text) for f in new_cells] == [(2, "new")]
    # the rest of a notebook: its new lines only, numbered as they are
    before = json.dumps({"cells": [], "metadata": {"a": "old"}})
    after = json.dumps({"cells": [], "metadata": {"a": "old", "b": "new"}})
    [rest] = changed_fragments("a.ipynb", after, before, set(), "staged")
    assert (rest.field, rest.text, list(rest.line_numbers or ())) == ("metadata", '  "b": "new"', [4])
    rows = changed_fragments("a.csv", "id,v\n1,a\n2,b\n3,c\n", "", {3, 4}, "staged")
    assert [(f.start_line, f.text, f.context) for f in rows] == [(3, "2,b\n3,c\n", "id,v\n")]


def test_added_rows_are_rows_under_the_files_header(monkeypatch: pytest.MonkeyPatch) -> None:
    """A change's added lines of a data file, without the rest of the file."""
    rows = list(formats.added_rows("a.csv", "id,mail\n", f"7,{EMAIL}\n8,x", 8, "staged"))
    assert [(f.start_line, f.text, f.context) for f in rows] == [
        (8, f"7,{EMAIL}\n8,x\n", "id,mail\n")
    ]
    [chunk] = rows
    by_value = {chunk.text[s.start:s.end]: (s.row, s.field) for s in chunk.spans if s.field}
    assert by_value[EMAIL] == (7, "mail")
    # a new file's first line is its header, reported as text itself
    header, body = formats.added_rows("a.csv", "id,mail\n", "id,mail\n1,x", 1, "staged")
    assert (header.text, header.spans, body.start_line, body.text) == ("id,mail", (), 2, "1,x\n")
    # JSON lines have no header; chunks of CHUNK_ROWS rows, numbered on
    monkeypatch.setattr(formats, "CHUNK_ROWS", 2)
    lines = "\n".join(json.dumps({"n": n, "to": EMAIL}) for n in range(5))
    chunks = list(formats.added_rows("a.jsonl", "", lines, 3, "staged"))
    assert [(f.start_line, f.text.count("\n")) for f in chunks] == [(3, 2), (5, 2), (7, 1)]
    assert {s.row for f in chunks for s in f.spans if s.field == "to"} == {3, 4, 5, 6, 7}


def test_an_unclosed_quote_leaves_the_rest_of_the_file_one_value() -> None:
    text = f'id,note\n1,ok\n2,"never closed\n{EMAIL}\n'
    _header, chunk = formats.fragments("open.csv", text)
    assert [(s.row, s.field, chunk.text[s.start:s.end]) for s in chunk.spans if s.end > s.start] == [
        (1, "id", "1"), (1, "note", "ok"), (2, None, f'2,"never closed\n{EMAIL}\n'),
    ]


def test_field_spans_are_a_sequence_worked_out_when_asked_for() -> None:
    rows = [formats.Record("a,b\n", 2, 1), formats.Record("c,\n", 3, 2)]
    spans = formats.FieldSpans("x.csv", "left,right\n", rows[-1], records=rows)
    assert spans  # true without splitting a row: every record has a span
    expected = (
        FieldSpan(0, 0, 1), FieldSpan(0, 1, 1, "left"), FieldSpan(2, 3, 1, "right"),
        FieldSpan(4, 4, 2), FieldSpan(4, 5, 2, "left"), FieldSpan(6, 6, 2, "right"),
    )
    assert tuple(spans) == expected and len(spans) == 6 and spans[-1] == expected[-1]
    assert spans == formats.FieldSpans("x.csv", "left,right\n", rows[-1], text="a,b\nc,\n", line=2)
    assert spans != expected  # like range: equal to its own kind only


@pytest.mark.parametrize(
    ("path", "text"),
    [("x.csv", "a,b\n1,2\n3,\n"), ("x.csv", "a,b\n1,2\n\n"), ("x.csv", 'a\n"x\n'),
     ("x.tsv", "a\tb\n1\t2"), ("x.jsonl", '{"a": 1}\n{"b": {"c": "d"}}\n'),
     ("x.jsonl", '{"a": 1}\nnot json\n'), ("x.jsonl", '{"a": 1}\n\n')],
)
def test_the_last_span_alone_is_the_last_of_all(path: str, text: str) -> None:
    chunk = list(formats.fragments(path, text))[-1]
    assert isinstance(chunk.spans, formats.FieldSpans)
    last = chunk.spans[-1]
    assert last == tuple(chunk.spans)[-1]


def _flat(fragments: list[Fragment | Skipped]) -> list[object]:
    """Every span's row, column, value and line in the file, whatever the chunking."""
    out: list[object] = []
    for item in fragments:
        if isinstance(item, Skipped):
            out.append("too large")
            continue
        for span in item.spans:
            line = item.start_line + item.text.count("\n", 0, span.start)
            out.append((span.row, span.field, item.text[span.start : span.end], line))
    return out


def _reference(path: str, text: str, max_record: int | None) -> list[object]:
    """Record by record, the careful way."""
    out: list[object] = []
    header = ""
    try:
        for item in formats.records(path, io.StringIO(text, newline="\n"), max_record=max_record):
            if isinstance(item, str):
                header = item
                continue
            out.append((item.row, None, "", item.line))
            for start, end, name in formats.record_values(
                path, formats.column_names(path, header), item
            ):
                out.append((item.row, name, item.text[start:end],
                            item.line + item.text.count("\n", 0, start)))
    except formats.RecordTooLarge:
        out.append("too large")
    return out


def _random_rows(chance: random.Random, jsonl: bool) -> str:
    cells = ["plain", "", "with space", '"quoted, comma"', '"two\nlines"', '"a ""q"" b"',
             '"open', "tail\r", EMAIL]
    lines = [] if jsonl else ["name,mail,note\n"]
    for _ in range(chance.randrange(0, 40)):
        if jsonl:
            lines.append(chance.choice(['{"a": "x"}\n', "\n", "not json\n",
                                        f'{{"m": {{"e": "{EMAIL}"}}}}\n', "[1, 2]\n"]))
        else:
            lines.append(",".join(chance.choice(cells) for _ in range(3)) + "\n")
    text = "".join(lines)
    return text[:-1] if text and chance.random() < 0.3 else text


@pytest.mark.parametrize("batch", [1, 2, 3, 7, 250])
@pytest.mark.parametrize("seed", range(25))
def test_batched_rows_give_the_spans_of_reading_record_by_record(
    seed: int, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "BATCH_LINES", batch)
    chance = random.Random(seed)
    path = chance.choice(["d.csv", "d.jsonl"])
    text = _random_rows(chance, path.endswith(".jsonl"))
    max_record = chance.choice([None, 40, 200])
    fragments = list(formats.data_fragments(path, io.StringIO(text, newline="\n"),
                                            max_record=max_record))
    chunks = [item for item in fragments if isinstance(item, Fragment) and item.spans]
    lasts = [chunk.spans[-1] for chunk in chunks]  # asked first: from the last record alone
    assert lasts == [tuple(chunk.spans)[-1] for chunk in chunks]
    assert _flat(fragments) == _reference(path, text, max_record)
