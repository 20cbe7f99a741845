"""`leakguard baseline audit`: review baseline entries one by one (label each
real / false positive / accepted, with a reason), or report on them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from leakguard.baseline import LABELS, Entry
from leakguard.masking import mask_line
from leakguard.models import Finding

CHOICES = {"r": "real", "f": "false-positive", "a": "accepted", "s": None, "q": None}
Ask = Callable[[str], str]  # prompt -> answer ("" at end of input)


def describe(entry: Entry, finding: Finding | None) -> list[str]:
    """What a reviewer needs to judge an entry, with the secret masked."""
    lines = [
        f"{entry.path}:{entry.line}  {entry.rule_id}  [{entry.label}]"
        + (f"  ({entry.reason})" if entry.reason else ""),
    ]
    if entry.commit:
        lines.append(f"    introduced in commit {entry.commit[:12]}")
    if finding is not None and finding.line_text.strip():
        masked = mask_line(finding.line_text, finding.secret, finding.hidden)
        lines.append(f"    | {masked.strip()}")
    else:
        lines.append("    (no longer in the scanned files)")
    return lines


def walk(
    entries: Sequence[Entry],
    context: Mapping[str, Finding],
    ask: Ask,
    say: Callable[[str], None],
    *,
    everything: bool = False,
) -> list[Entry]:
    """Ask about each unreviewed entry (every entry with ``everything``);
    return the entries with their new labels. ``q`` or end of input stops,
    keeping what was answered so far."""
    result = {entry.fingerprint: entry for entry in entries}
    pending = [e for e in entries if everything or e.label == "unreviewed"]
    for number, entry in enumerate(pending, start=1):
        say(f"[{number}/{len(pending)}]")
        for line in describe(entry, context.get(entry.fingerprint)):
            say(line)
        choice = ask("  (r)eal leak, (f)alse positive, (a)ccepted, (s)kip, (q)uit? ").strip()[:1]
        while choice and choice.lower() not in CHOICES:
            choice = ask("  please answer r, f, a, s or q: ").strip()[:1]
        label = CHOICES.get(choice.lower()) if choice else None
        if not choice or choice.lower() == "q":
            break
        if label is None:
            continue
        reason = ask("  reason (optional): ").strip()
        result[entry.fingerprint] = entry._replace(label=label, reason=reason or entry.reason)
    return list(result.values())


def report(entries: Sequence[Entry]) -> list[str]:
    """A non-interactive summary: counts by label, then every entry."""
    counts = Counter(entry.label for entry in entries)
    lines = [
        f"{len(entries)} baseline entr{'y' if len(entries) == 1 else 'ies'}: "
        + ", ".join(f"{counts.get(label, 0)} {label}" for label in LABELS)
    ]
    for entry in sorted(entries, key=lambda e: (LABELS.index(e.label), e.path, e.line)):
        lines.append(
            f"  {entry.label:15} {entry.path}:{entry.line}  {entry.rule_id}"
            + (f"  — {entry.reason}" if entry.reason else "")
        )
    return lines
