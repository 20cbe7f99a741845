"""Column-level findings: a data-file column that is mostly personal data is
reported once, with a count, instead of once per row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from leakguard.baseline import fingerprint
from leakguard.models import Finding

MIN_VALUES = 10  # fewer findings than this are listed one by one
MIN_SHARE = 0.5  # …and so is a column where under half the rows hold one


def collapse(findings: Sequence[Finding], rows: Mapping[str, int]) -> list[Finding]:
    """Replace each group of findings of one rule in one column of one data
    file by a single finding (the first, with ``count``) when the column is
    mostly that kind of value. ``rows`` is the number of data rows per path.

    Its fingerprint names the column rather than a value, so a baseline
    accepts the column as a whole and new rows do not bring it back.
    """
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in findings:
        if finding.row is not None and finding.field is not None and finding.path in rows:
            key = (finding.path, finding.field, finding.rule_id)
            groups.setdefault(key, []).append(finding)
    collapsed: dict[int, Finding] = {}
    dropped: set[int] = set()
    for (path, field, rule_id), group in groups.items():
        if len(group) < MIN_VALUES or len(group) < MIN_SHARE * rows[path]:
            continue
        first = min(group, key=lambda f: (f.line, f.column))
        collapsed[id(first)] = first._replace(
            occurrences=len(group), fingerprint=fingerprint(rule_id, path, f"column:{field}")
        )
        dropped.update(id(f) for f in group if f is not first)
    return [
        collapsed.get(id(finding), finding) for finding in findings if id(finding) not in dropped
    ]
