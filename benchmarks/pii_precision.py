"""Personal-data precision, recall and speed: leakguard next to Microsoft
Presidio's pattern recognizers, on a seeded synthetic corpus with known
ground truth.

The corpus (benchmarks/.work/pii-corpus/, rebuilt on every run) spreads
planted personal data over .py/.js/.yaml/.env/.csv/.jsonl/.ipynb/.md files,
between synthetic filler code and many look-alikes that are *not* personal
data: timestamps, version strings, UUIDs, hashes, Luhn-invalid and
rangeless 16-digit numbers, zip+4 codes, private/loopback/documentation
IPs, unlabelled dates and bare 9/12-digit numbers, reserved email domains,
fictional 555-01xx numbers, never-issued SSNs, IBANs with a bad checksum.

Values are compared per file as (type, normalised value) sets. Presidio's
DATE_TIME counts as DATE_OF_BIRTH (it has no birth-date entity), its
passport and national-id entities map onto PASSPORT and NATIONAL_ID, and
IP_ADDRESS splits into IPV4/IPV6. Presidio runs offline: its recognizers
are built directly (AnalyzerEngine() would try to download a spaCy model),
the email recognizer's tldextract uses its bundled suffix list, and context
words are applied with Presidio's own LemmaContextAwareEnhancer over a blank
spaCy tokenizer. Its scores are shown at its default threshold (0) and 0.5.

    pip install -e '.[bench]'
    python benchmarks/pii_precision.py [--files 480] [--seed 7] [--repeat 3]
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import random
import re
import string
import sys
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from _common import ROOT, WORK, median_time, ratio, table

sys.path.insert(0, str(ROOT))  # the checkout's own leakguard (for check digits)

from leakguard.validators.check_digits import (
    eleven_proof,
    luhn,
    luhn_digit,
    pesel,
    spanish_letter,
    verhoeff_digit,
)

CORPUS = WORK / "pii-corpus"
TYPES = ("EMAIL", "PHONE", "CREDIT_CARD", "US_SSN", "IBAN", "IPV4", "IPV6",
         "DATE_OF_BIRTH", "PASSPORT", "NATIONAL_ID")
CORE = ("EMAIL", "PHONE", "CREDIT_CARD", "US_SSN", "IBAN", "IPV4", "IPV6")
EXTENSIONS = (".py", ".js", ".yaml", ".env", ".csv", ".jsonl", ".ipynb", ".md")
DATA_ROWS = 8  # below leakguard's column-level threshold, so every value is listed
FILLER_LINES = 120

Truth = set[tuple[str, str, str]]  # (path, type, normalised value)


def normalise(kind: str, value: str) -> str:
    value = value.strip().strip("\"'<>()[]{},;")
    if kind == "EMAIL":
        return value.lower()
    if kind in ("IPV4", "IPV6"):
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            return value.lower()
    if kind in ("DATE_OF_BIRTH",):
        return re.sub(r"[^0-9a-z]", "", value.lower())
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


# --- ground-truth generators ----------------------------------------------------------


@dataclass
class Generators:
    """Seeded makers of personal data (positives) and look-alikes (negatives)."""

    rng: random.Random
    faker: object
    phones: Iterator[str] = field(init=False)

    def __post_init__(self) -> None:
        self.phones = self._phone_numbers()

    # positives: (type, value, label) — label is the context word, may be ""
    def email(self) -> tuple[str, str, str]:
        fake = self.faker
        maker = self.rng.choice([fake.free_email, fake.company_email])  # type: ignore[attr-defined]
        value = maker()
        while value.split("@")[0] in ("admin", "info", "support", "contact", "test", "user"):
            value = maker()
        return "EMAIL", value, self.rng.choice(["email", "contact", "mail", ""])

    def phone(self) -> tuple[str, str, str]:
        return "PHONE", next(self.phones), self.rng.choice(["phone", "mobile", "tel", ""])

    def _phone_numbers(self) -> Iterator[str]:
        import phonenumbers

        formats = phonenumbers.PhoneNumberFormat
        while True:
            region = self.rng.choice(["US", "US", "US", "GB", "DE", "FR", "IN", "ES", "NL", "AU"])
            example = phonenumbers.example_number_for_type(region, self.rng.choice(
                [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]))
            if example is None:
                continue
            national = str(example.national_number)
            digits = national[:3] + "".join(self.rng.choice(string.digits)
                                            for _ in range(len(national) - 3))
            number = phonenumbers.parse("+" + str(example.country_code) + digits, None)
            if not phonenumbers.is_valid_number(number):
                continue
            if region == "US" and digits[3:6] == "555":
                continue
            style = (formats.NATIONAL if region == "US" and self.rng.random() < 0.5
                     else self.rng.choice([formats.INTERNATIONAL, formats.E164]))
            yield phonenumbers.format_number(number, style)

    def card(self) -> tuple[str, str, str]:
        fake = self.faker
        kind = self.rng.choice(["visa16", "mastercard", "amex", "discover", "jcb", "visa16"])
        if kind == "jcb":  # faker's JCB prefixes (35xx) reach below the real range 3528-3589
            partial = str(self.rng.randint(3528, 3589)) + "".join(
                self.rng.choice(string.digits) for _ in range(11))
            value = partial + luhn_digit(partial)
        else:
            value = fake.credit_card_number(card_type=kind)  # type: ignore[attr-defined]
        if self.rng.random() < 0.4:
            groups = ([4, 6, 5] if len(value) == 15 else [4] * (len(value) // 4))
            parts, start = [], 0
            for size in groups:
                parts.append(value[start:start + size])
                start += size
            value = self.rng.choice([" ", "-"]).join(parts)
        return "CREDIT_CARD", value, self.rng.choice(["card", "cc_number", "payment", ""])

    def ssn(self) -> tuple[str, str, str]:
        value = self.faker.ssn()  # type: ignore[attr-defined]
        if self.rng.random() < 0.3:
            return "US_SSN", value.replace("-", ""), "ssn"
        return "US_SSN", value, self.rng.choice(["ssn", "social_security_number", ""])

    def iban(self) -> tuple[str, str, str]:
        from faker import Faker

        locale = self.rng.choice(["de_DE", "fr_FR", "nl_NL", "es_ES", "en_GB", "it_IT"])
        local = Faker(locale)
        local.seed_instance(self.rng.random())
        value = local.iban()
        if self.rng.random() < 0.5:
            value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
        return "IBAN", value, self.rng.choice(["iban", "account", ""])

    def ipv4(self) -> tuple[str, str, str]:
        while True:
            value = self.faker.ipv4_public()  # type: ignore[attr-defined]
            octets = [int(part) for part in value.split(".")]
            if max(octets) >= 10 and ipaddress.ip_address(value).is_global:
                return "IPV4", value, self.rng.choice(["client_ip", "remote_addr", "ip", "from"])

    def ipv6(self) -> tuple[str, str, str]:
        while True:
            groups = [f"{self.rng.randint(0x2001, 0x2c0f):x}"] + [
                f"{self.rng.randint(0, 0xffff):x}" for _ in range(7)]
            address = ipaddress.IPv6Address(":".join(groups))
            if address.is_global:
                return "IPV6", str(address), self.rng.choice(["client_ip", "remote_addr", "peer"])

    def dob(self) -> tuple[str, str, str]:
        date = self.faker.date_of_birth(minimum_age=18, maximum_age=90)  # type: ignore[attr-defined]
        value = self.rng.choice([date.isoformat(), date.strftime("%d/%m/%Y"),
                                 date.strftime("%m/%d/%Y"), date.strftime("%d %B %Y")])
        return "DATE_OF_BIRTH", value, self.rng.choice(["dob", "date_of_birth", "birthdate"])

    def passport(self) -> tuple[str, str, str]:
        value = self.rng.choice([
            "".join(self.rng.choice(string.digits) for _ in range(9)),
            self.rng.choice("CXKLM") + "".join(self.rng.choice(string.digits) for _ in range(8)),
        ])
        return "PASSPORT", value, self.rng.choice(["passport_number", "passport", "passport_no"])

    def national_id(self) -> tuple[str, str, str]:
        rng = self.rng
        digits = string.digits
        choice = rng.choice(["nino", "sin", "aadhaar", "dni", "bsn", "pesel"])
        if choice == "nino":
            value = (rng.choice("ABCEGHJKLMNPRSTWXYZ") + rng.choice("ABCEGHJKLMNPRSTWXYZ")
                     + "".join(rng.choice(digits) for _ in range(6)) + rng.choice("ABCD"))
            if value[:2] in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
                return self.national_id()
            return "NATIONAL_ID", value, "nino"
        if choice == "sin":
            partial = rng.choice("1234567") + "".join(rng.choice(digits) for _ in range(7))
            return "NATIONAL_ID", partial + luhn_digit(partial), "sin"
        if choice == "aadhaar":
            partial = rng.choice("23456789") + "".join(rng.choice(digits) for _ in range(10))
            return "NATIONAL_ID", partial + verhoeff_digit(partial), "aadhaar"
        if choice == "dni":
            number = rng.randint(10_000_000, 99_999_999)
            return "NATIONAL_ID", f"{number}{spanish_letter(number)}", "dni"
        if choice == "bsn":
            while True:
                value = "".join(rng.choice(digits) for _ in range(9))
                if value[0] != "0" and eleven_proof(value):
                    return "NATIONAL_ID", value, "bsn"
        while True:
            born = self.faker.date_of_birth(minimum_age=18, maximum_age=80)  # type: ignore[attr-defined]
            month = born.month + (20 if born.year >= 2000 else 0)
            partial = f"{born.year % 100:02d}{month:02d}{born.day:02d}" + "".join(
                rng.choice(digits) for _ in range(4))
            for last in digits:
                if pesel(partial + last):
                    return "NATIONAL_ID", partial + last, "pesel"

    # negatives: (label, value) that must not be reported
    def lookalike(self) -> tuple[str, str]:
        rng, fake = self.rng, self.faker
        makers: list[Callable[[], tuple[str, str]]] = [
            lambda: ("created_at", fake.iso8601()),  # type: ignore[attr-defined]
            lambda: ("updated", fake.date()),  # type: ignore[attr-defined]
            lambda: ("timestamp", str(fake.unix_time())),  # type: ignore[attr-defined]
            lambda: ("ts_ms", str(int(fake.unix_time() * 1000))),  # type: ignore[attr-defined]
            lambda: ("version", ".".join(str(rng.randint(0, 9)) for _ in range(4))),
            lambda: ("requires", "pkg==" + ".".join(str(rng.randint(0, 30)) for _ in range(4))),
            lambda: ("request_id", fake.uuid4()),  # type: ignore[attr-defined]
            lambda: ("sha256", fake.sha256()),  # type: ignore[attr-defined]
            lambda: ("commit", fake.sha1()),  # type: ignore[attr-defined]
            lambda: ("order_number", self._bad_luhn()),
            # no card network issues numbers starting with 1, 7 or 9
            lambda: ("tracking", rng.choice("179") + _digits(rng, 15)),
            lambda: ("zip", fake.zipcode_plus4()),  # type: ignore[attr-defined]
            lambda: ("bind", fake.ipv4_private()),  # type: ignore[attr-defined]
            lambda: ("host", rng.choice(["127.0.0.1", "0.0.0.0", "192.0.2.17", "203.0.113.5",
                                         "198.51.100.23", "169.254.1.9", "::1", "fe80::1"])),
            lambda: ("email", fake.safe_email()),  # type: ignore[attr-defined]
            lambda: ("from", rng.choice(["noreply@github.com", "no-reply@accounts.example",
                                         "user@localhost", "dev@app.test"])),
            lambda: ("phone", f"(212) 555-01{rng.randint(0, 99):02d}"),
            lambda: ("ssn", f"{rng.choice(['000', '666', '912'])}-{_digits(rng, 2)}-"
                            f"{_digits(rng, 4)}"),
            lambda: ("iban", self._bad_iban()),
            lambda: ("id", _digits(rng, 9)),
            lambda: ("row_id", _digits(rng, 12)),
            lambda: ("build", f"{rng.randint(2015, 2025)}{rng.randint(101, 1228)}."
                              f"{rng.randint(1, 99)}"),
        ]
        return rng.choice(makers)()

    def _bad_luhn(self) -> str:
        while True:
            value = "4" + "".join(self.rng.choice(string.digits) for _ in range(15))
            if not luhn(value):
                return value

    def _bad_iban(self) -> str:
        from faker import Faker

        local = Faker("de_DE")
        local.seed_instance(self.rng.random())
        value = local.iban()
        last = str((int(value[-1]) + 1) % 10)
        return value[:-1] + last

    def positive(self) -> tuple[str, str, str]:
        makers = [self.email, self.phone, self.card, self.ssn, self.iban, self.ipv4,
                  self.ipv6, self.dob, self.passport, self.national_id]
        weights = [4, 4, 3, 3, 3, 3, 2, 2, 1, 2]
        return self.rng.choices(makers, weights)[0]()


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


# --- file writers ---------------------------------------------------------------------------


def _filler(gen: Generators, count: int) -> list[str]:
    """Synthetic code-like lines without personal data."""
    fake, rng = gen.faker, gen.rng
    lines = []
    for _ in range(count):
        word = fake.word()  # type: ignore[attr-defined]
        lines.append(rng.choice([
            f"def {word}_{rng.randint(1, 99)}(value, limit={rng.randint(1, 500)}):",
            f"    return compute({word!r}, retries={rng.randint(0, 9)})",
            f"# {fake.sentence()}",  # type: ignore[attr-defined]
            f"    total += item.{word} * {rng.random():.4f}",
            f"    if len(buffer) > {rng.randint(16, 65536)}:",
            f"        logger.debug({fake.sentence()!r})",  # type: ignore[attr-defined]
        ]))
    return lines


def _line(ext: str, label: str, value: str) -> str:
    key = label or "note"
    if ext == ".py":
        return f'{key.upper()} = "{value}"' if label else f"# see {value}"
    if ext == ".js":
        return f"  {key}: '{value}'," if label else f"// {value}"
    if ext == ".yaml":
        return f"{key}: {value}" if label else f"# {value}"
    if ext == ".env":
        return f"{key.upper()}={value}"
    return f"- {key.replace('_', ' ')}: {value}" if label else f"Reach out at {value} today."


def write_file(path: Path, ext: str, gen: Generators, truth: Truth) -> None:
    rng = gen.rng
    name = path.relative_to(CORPUS).as_posix()
    items: list[tuple[str, str, str]] = []  # (type or "", label, value)
    for _ in range(rng.randint(4, 10)):
        kind, value, label = gen.positive()
        items.append((kind, label, value))
    for _ in range(rng.randint(6, 14)):
        label, value = gen.lookalike()
        items.append(("", label, value))
    rng.shuffle(items)
    if ext in (".csv", ".jsonl"):
        text = _data_file(ext, items, rng)
    elif ext == ".ipynb":
        text = _notebook(items, gen)
    else:
        filler = _filler(gen, FILLER_LINES)
        lines = [_line(ext, label, value) for _, label, value in items]
        for line in lines:
            filler.insert(rng.randint(0, len(filler)), line)
        text = "\n".join(filler) + "\n"
    for kind, _, value in items:
        if kind:
            truth.add((name, kind, normalise(kind, value)))
    path.write_text(text)


def _data_file(ext: str, items: list[tuple[str, str, str]], rng: random.Random) -> str:
    """Rows of labelled values; each item becomes a column of its own."""
    rows: list[dict[str, str]] = [{} for _ in range(rng.randint(2, DATA_ROWS))]
    for index, (_, label, value) in enumerate(items):
        column = f"{label or 'note'}_{index}"
        rows[index % len(rows)][column] = value
    columns = sorted({key for row in rows for key in row})
    if ext == ".jsonl":
        return "".join(json.dumps({k: row.get(k, "") for k in columns}) + "\n" for row in rows)
    def cell(value: str) -> str:
        return f'"{value}"' if "," in value else value
    lines = [",".join(columns)] + [",".join(cell(row.get(k, "")) for k in columns) for row in rows]
    return "\n".join(lines) + "\n"


def _notebook(items: list[tuple[str, str, str]], gen: Generators) -> str:
    cells = []
    for position, (_, label, value) in enumerate(items):
        source = [f"{(label or 'note')} = {value!r}\n", f"print({label or 'note'})\n"]
        outputs = [{"output_type": "stream", "name": "stdout", "text": [f"{value}\n"]},
                   {"output_type": "display_data", "metadata": {},
                    "data": {"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"}}]
        cells.append({"cell_type": "code", "execution_count": position + 1, "metadata": {},
                      "source": source, "outputs": outputs})
        cells.append({"cell_type": "markdown", "metadata": {},
                      "source": [line + "\n" for line in _filler(gen, 12)]})
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
                      indent=1) + "\n"


def build_corpus(files: int, seed: int) -> Truth:
    from faker import Faker

    if CORPUS.exists():
        for old in sorted(CORPUS.rglob("*"), reverse=True):
            old.unlink() if old.is_file() else old.rmdir()
    CORPUS.mkdir(parents=True, exist_ok=True)
    Faker.seed(seed)
    fake = Faker("en_US")
    gen = Generators(random.Random(seed), fake)
    truth: Truth = set()
    for number in range(files):
        ext = EXTENSIONS[number % len(EXTENSIONS)]
        folder = CORPUS / f"pkg{number % 12}"
        folder.mkdir(exist_ok=True)
        write_file(folder / f"file{number}{ext}", ext, gen, truth)
    return truth


# --- the tools -----------------------------------------------------------------------------


def leakguard_predictions(jobs: int, repeat: int) -> tuple[Truth, float]:
    """What leakguard reports, and the median wall time of ``repeat`` whole
    CLI runs (start-up, rule loading and the JSON report included)."""
    config = WORK / "pii-bench.toml"
    config.write_text("# the benchmark runs leakguard with its defaults\n")
    argv = [sys.executable, "-m", "leakguard", "scan", str(CORPUS), "--no-git", "--config",
            str(config), "-f", "json", "--show-secrets"]
    if jobs:
        argv += ["--jobs", str(jobs)]
    timing = median_time(argv, repeat=repeat, cwd=ROOT)
    if timing.seconds is None or timing.returncode not in (0, 1):
        raise SystemExit(f"leakguard failed: {timing.returncode} {timing.stdout[-500:]!r}")
    document = json.loads(timing.stdout)
    predicted = {
        (f["path"], f["type"], normalise(f["type"], f["secret"]))
        for f in document["findings"] if f["kind"] == "pii"
    }
    return predicted, timing.seconds


PRESIDIO_TYPES = {
    "EMAIL_ADDRESS": "EMAIL", "PHONE_NUMBER": "PHONE", "CREDIT_CARD": "CREDIT_CARD",
    "US_SSN": "US_SSN", "IBAN_CODE": "IBAN", "DATE_TIME": "DATE_OF_BIRTH",
    "US_PASSPORT": "PASSPORT", "UK_PASSPORT": "PASSPORT", "UK_NINO": "NATIONAL_ID",
    "CA_SIN": "NATIONAL_ID", "IN_AADHAAR": "NATIONAL_ID", "ES_NIF": "NATIONAL_ID",
    "PL_PESEL": "NATIONAL_ID",
}


def presidio_predictions() -> tuple[dict[float, Truth], float]:
    import spacy
    import tldextract
    from presidio_analyzer import EntityRecognizer
    from presidio_analyzer import predefined_recognizers as recognizers
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
    from presidio_analyzer.nlp_engine import NlpArtifacts
    from presidio_analyzer.predefined_recognizers.generic import email_recognizer

    # offline: the bundled public-suffix snapshot instead of a download
    email_recognizer.tldextract = types.SimpleNamespace(  # type: ignore[attr-defined]
        extract=tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None))
    active = [
        recognizers.EmailRecognizer(), recognizers.PhoneRecognizer(),
        recognizers.CreditCardRecognizer(), recognizers.UsSsnRecognizer(),
        recognizers.IbanRecognizer(), recognizers.IpRecognizer(), recognizers.DateRecognizer(),
        recognizers.UsPassportRecognizer(), recognizers.UkPassportRecognizer(),
        recognizers.UkNinoRecognizer(), recognizers.CaSinRecognizer(),
        recognizers.InAadhaarRecognizer(), recognizers.EsNifRecognizer(supported_language="en"),
        recognizers.PlPeselRecognizer(supported_language="en"),
    ]
    tokenizer = spacy.blank("en")
    enhancer = LemmaContextAwareEnhancer()
    thresholds = (0.0, 0.5)
    predicted: dict[float, Truth] = {threshold: set() for threshold in thresholds}
    began = time.perf_counter()
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text()
        doc = tokenizer(text)
        artifacts = NlpArtifacts(entities=[], tokens=doc, tokens_indices=[t.idx for t in doc],
                                 lemmas=[t.lower_ for t in doc], nlp_engine=None, language="en")
        results = []
        for recognizer in active:
            results.extend(recognizer.analyze(text, recognizer.supported_entities, artifacts) or [])
        results = enhancer.enhance_using_context(text, results, artifacts, active)
        results = EntityRecognizer.remove_duplicates(results)
        name = path.relative_to(CORPUS).as_posix()
        for result in results:
            value = text[result.start:result.end]
            kind = PRESIDIO_TYPES.get(result.entity_type)
            if result.entity_type == "IP_ADDRESS":
                kind = "IPV6" if ":" in value else "IPV4"
            if kind is None:
                continue
            for threshold in thresholds:
                if result.score >= threshold:
                    predicted[threshold].add((name, kind, normalise(kind, value)))
    return predicted, time.perf_counter() - began


# --- scoring -------------------------------------------------------------------------------------


def scores(truth: Truth, predicted: Truth, kind: str | None) -> tuple[int, int, int]:
    wanted = {t for t in truth if kind is None or t[1] == kind}
    got = {p for p in predicted if kind is None or p[1] == kind}
    return len(wanted & got), len(got - wanted), len(wanted - got)


def figure(tp: int, fp: int, fn: int) -> tuple[str, str, str]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f"{precision:.3f}", f"{recall:.3f}", f"{f1:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=480)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="leakguard runs (median)")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N",
                        help="print up to N false positives and negatives of leakguard")
    args = parser.parse_args()
    truth = build_corpus(args.files, args.seed)
    size = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    print(f"corpus: {args.files} files, {size / 1e6:.1f} MB, {len(truth)} planted values "
          f"(seed {args.seed}) in {CORPUS}")
    ours, one_core = leakguard_predictions(1, args.repeat)
    _, all_cores = leakguard_predictions(0, args.repeat)
    theirs, their_seconds = presidio_predictions()
    rows = []
    for kind in (*TYPES, None):
        planted = len({t for t in truth if kind is None or t[1] == kind})
        row: list[object] = [kind or "overall", planted]
        for predicted in (ours, theirs[0.0], theirs[0.5]):
            row.extend(figure(*scores(truth, predicted, kind)))
        rows.append(row)
    headers = ["type", "planted", "lg P", "lg R", "lg F1", "presidio P", "presidio R",
               "presidio F1", "p>=.5 P", "p>=.5 R", "p>=.5 F1"]
    print(table(headers, rows))
    print()
    timings = [("leakguard, whole CLI run, --jobs 1", one_core),
               ("leakguard, whole CLI run, default jobs", all_cores),
               ("presidio, in-process, analysis only", their_seconds)]
    print(table(["tool", "seconds", "MB/s", "x presidio"], [
        [name, f"{seconds:.2f}", f"{size / 1e6 / seconds:.2f}", ratio(their_seconds, seconds)]
        for name, seconds in timings
    ]))
    if args.show_misses:
        for label, items in (("false positives", ours - truth), ("false negatives", truth - ours)):
            print(f"\nleakguard {label}:")
            for item in sorted(items)[: args.show_misses]:
                print("  ", item)


if __name__ == "__main__":
    main()
