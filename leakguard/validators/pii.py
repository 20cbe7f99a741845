"""Validators for personal data: is a matched email, phone number, card
number, SSN, IBAN, IP address, date or passport number the real thing?

Each is offline and cheap; ``phonenumbers`` is imported only when a phone
candidate exists, because its metadata costs more than the hook's budget.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ipaddress

from leakguard.validators.base import VALID, Candidate, Verdict
from leakguard.validators.check_digits import iban_mod97, luhn
from leakguard.validators.context import amid_numbers, label, labelled


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


def digits_of(value: str) -> str:
    return _NON_DIGIT.sub("", value)


_NON_DIGIT = re.compile(r"[^0-9]")
_EXTENSION = re.compile(r"(?i)\s*(?:x|ext\.?|extension)\s*\d+$")


# --- email -------------------------------------------------------------------

# Country-code TLDs (ISO 3166-1 alpha-2 that are delegated) and the generic
# TLDs that real mailboxes use. A domain outside this list (``x@self.weight``,
# ``a@b.shape``) is code, not an address; a mailbox on a rare new gTLD is
# missed, which is the price of precision in source code.
_CC_TLDS = _set(
    """ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn
    bo br bs bt bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk
    dm do dz ec ee eg er es et eu fi fj fk fm fo fr ga gd ge gf gg gh gi gl gm gn gp gq gr
    gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki
    km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo
    mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph
    pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr
    ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz
    va vc ve vg vi vn vu wf ws ye yt za zm zw""",
)
_GENERIC_TLDS = _set(
    """com org net edu gov mil int info biz name pro mobi asia tel jobs travel museum aero
    coop cat app dev io ai xyz online site tech store cloud email space website live life
    world today blog shop news agency digital media network solutions services systems
    company group team studio design club page fun art one global zone center works
    expert consulting partners ventures capital finance money health care law legal
    academy school university education science energy earth city land church family
    social chat link click host icu top vip win bid lol wtf ninja rocks guru plus run
    page photo photos pics video music games game inc llc ltd gmbh""",
)
_RESERVED_DOMAINS = frozenset({"example.com", "example.org", "example.net", "example.edu"})
_RESERVED_SUBDOMAINS = tuple("." + reserved for reserved in _RESERVED_DOMAINS)
_RESERVED_SUFFIXES = (".example", ".test", ".invalid", ".local", ".localhost", ".localdomain")
_PLACEHOLDER_DOMAINS = frozenset(
    {"domain.com", "yourdomain.com", "mydomain.com", "yourcompany.com", "company.com",
     "email.tld", "host.com", "somewhere.com", "website.com"}
)
# Mailboxes that belong to no person: automated senders, SSH remotes, role
# accounts, and the names documentation uses as stand-ins.
_NOT_A_PERSON = _set(
    """noreply donotreply mailerdaemon postmaster hostmaster webmaster abuse root nobody git
    bounce bounces notification notifications alert alerts support info contact sales security
    admin administrator help hello team privacy legal billing press jobs careers marketing
    office feedback enquiries inquiries service noc ops dev devs developer developers
    maintainer maintainers bugs newsletter news mail email test tests testing user username
    name someone somebody you yourname youremail me foo bar baz johndoe janedoe firstlast
    firstnamelastname dependabot githubactions actions ci bot robot automation changelog
    release releases list lists announce users community discuss"""
)
# Domains whose addresses name cloud service accounts and robots, not people.
_MACHINE_DOMAINS = (
    "gserviceaccount.com", ".iam.gserviceaccount.com", "developer.gserviceaccount.com",
    "cloudservices.gserviceaccount.com", "users.noreply.github.com",
)
_LOCAL_SEPARATORS = str.maketrans("", "", "-_.")
_URL_USER = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/@]*$")


def email(candidate: Candidate) -> Verdict:
    value = candidate.secret
    local, _, domain = value.rpartition("@")
    domain = domain.lower()
    if ".." in value or local.startswith(".") or local.endswith("."):
        return Verdict(False, "not a valid address (dots)")
    tld = domain.rsplit(".", 1)[-1]
    if tld not in _CC_TLDS and tld not in _GENERIC_TLDS:
        return Verdict(False, f"'.{tld}' is not a mail domain (code, not an address)")
    if domain in _RESERVED_DOMAINS or domain.endswith(_RESERVED_SUBDOMAINS):
        return Verdict(False, "a reserved example domain (RFC 2606)")
    if domain.endswith(_RESERVED_SUFFIXES) or domain == "localhost":
        return Verdict(False, "a reserved or local-only domain")
    if domain in _PLACEHOLDER_DOMAINS:
        return Verdict(False, "a placeholder domain")
    if ".noreply." in "." + domain or domain.startswith("noreply."):
        return Verdict(False, "a no-reply address")
    if domain.endswith(_MACHINE_DOMAINS):
        return Verdict(False, "a machine identity (service account), not a person")
    if local.lower().split("+", 1)[0].translate(_LOCAL_SEPARATORS) in _NOT_A_PERSON:
        return Verdict(False, f"'{local}@' is an automated, role or placeholder mailbox")
    before = candidate.before
    # (the substring test first: the regex tries every position of the line)
    if "://" in before and _URL_USER.search(before):
        return Verdict(False, "the user part of a URL, not an address")
    after = candidate.after
    if after[:1] == ":" and len(after) > 1 and (after[1] in "/~_-." or after[1].isalnum()):
        return Verdict(False, "an SSH/scp target (user@host:path), not an address")
    return VALID


# --- phone numbers -------------------------------------------------------------

# With a "phone"/"tel" label, a national number is tried in these regions.
_CONTEXT_REGIONS = ("US", "GB", "DE", "FR", "IN", "ES", "IT", "NL", "CA", "AU", "BR", "IE")
_PHONE_LABEL = label(
    "phone*", "tel", "tel no", "telephone*", "mobile*", "mob", "cell*", "fax", "contact number",
    "call", "sms", "whatsapp", "telefon*", "telefono", "telefone", "portable", "handy",
    "msisdn",
)
# Ofcom's drama ranges: numbers set aside for fiction (national significant numbers).
_UK_FICTION = (
    "1134960", "1144960", "1154960", "1164960", "1174960", "1184960", "1214960", "1314960",
    "1414960", "1514960", "1614960", "1914980", "2079460", "2896496", "2920180", "1632960",
    "7700900", "8081570", "9098790", "3069990",
)


# How many digits an international number (country code and national number)
# has at the least and the most in any numbering plan phonenumbers knows (a
# test checks them against its metadata): "+104" or "+3.14159265358979" is
# arithmetic, not worth parsing (a plan's metadata costs milliseconds to load).
INTERNATIONAL_DIGITS = (6, 19)

_NANP_LAYOUT = re.compile(r"^(?:1[ .-])?(?:\(\d{3}\)[ .-]?|\d{3}([ .-]))\d{3}([ .-])\d{4}$")


def _fiction(country: int, national: str) -> str:
    if country == 1 and len(national) == 10 and national[3:6] == "555":
        if national[6:8] == "01":
            return "555-01xx is reserved for fiction"
        return "555 numbers are fictional or directory services, not personal lines"
    if country == 44 and len(national) == 10 and national.startswith(_UK_FICTION):
        return "an Ofcom drama number, reserved for fiction"
    return ""


def _parse_phone(text: str, regions: tuple[str | None, ...]) -> tuple[int, str] | None:
    import phonenumbers  # lazily: its metadata is heavy and most scans never need it

    for region in regions:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            national = phonenumbers.national_significant_number(number)
            return int(number.country_code or 0), national
    return None


def phone(candidate: Candidate) -> Verdict:
    """International numbers (``+…``) as written; national ones in North
    American format, or in any common region when a label says "phone"."""
    value = candidate.secret
    digits = digits_of(value)
    if len(set(digits)) <= 2:
        return Verdict(False, "too few distinct digits for a phone number")
    text = _EXTENSION.sub("", value)
    if value.startswith("+") or text.startswith("00"):
        regions: tuple[str | None, ...] = (None,)
        if text.startswith("00"):
            text = "+" + text[2:]
        fewest, most = INTERNATIONAL_DIGITS
        if not fewest <= len(digits_of(text)) <= most:
            return Verdict(False, "no numbering plan has numbers of this many digits")
    elif labelled(candidate, _PHONE_LABEL):
        regions = _CONTEXT_REGIONS
    elif _NANP_LAYOUT.match(text):
        if "." in text and _VERSION_BEFORE.search(candidate.before[-40:]):
            return Verdict(False, "a dotted version number, not a phone number")
        if amid_numbers(candidate):
            return Verdict(False, "one of a run of numbers, not a phone number")
        regions = ("US",)
    else:
        return Verdict(False, "without a 'phone' label only +international and (NXX) NXX-XXXX "
                              "layouts read as phone numbers")
    parsed = _parse_phone(text, regions)
    if parsed is None:
        return Verdict(False, "not a valid number in any numbering plan tried")
    reason = _fiction(*parsed)
    if reason:
        return Verdict(False, reason)
    return Verdict(True, "a valid number in its numbering plan")


# --- payment cards --------------------------------------------------------------

# Issuer identification ranges: (first digits low, high, allowed lengths, name).
_ISSUERS: tuple[tuple[int, int, tuple[int, ...], str], ...] = (
    (4, 4, (13, 16, 19), "Visa"),
    (51, 55, (16,), "Mastercard"),
    (2221, 2720, (16,), "Mastercard"),
    (34, 34, (15,), "American Express"),
    (37, 37, (15,), "American Express"),
    (6011, 6011, (16, 17, 18, 19), "Discover"),
    (644, 649, (16, 17, 18, 19), "Discover"),
    (65, 65, (16, 17, 18, 19), "Discover"),
    (3528, 3589, (16, 17, 18, 19), "JCB"),
    (300, 305, (14, 15, 16, 17, 18, 19), "Diners Club"),
    (3095, 3095, (14, 15, 16, 17, 18, 19), "Diners Club"),
    (36, 36, (14, 15, 16, 17, 18, 19), "Diners Club"),
    (38, 39, (14, 15, 16, 17, 18, 19), "Diners Club"),
    (62, 62, (16, 17, 18, 19), "UnionPay"),
    (81, 81, (16, 17, 18, 19), "UnionPay"),
    (2200, 2204, (16, 17, 18, 19), "Mir"),
    (5018, 5018, tuple(range(12, 20)), "Maestro"),
    (5020, 5020, tuple(range(12, 20)), "Maestro"),
    (5038, 5038, tuple(range(12, 20)), "Maestro"),
    (5893, 5893, tuple(range(12, 20)), "Maestro"),
    (6304, 6304, tuple(range(12, 20)), "Maestro"),
    (6759, 6759, tuple(range(12, 20)), "Maestro"),
    (6761, 6763, tuple(range(12, 20)), "Maestro"),
    (67, 67, tuple(range(12, 20)), "Maestro"),
    (60, 60, (16,), "RuPay"),
    (9792, 9792, (16,), "Troy"),
)

# Card numbers that payment processors publish for testing (Stripe, Braintree,
# Adyen, PayPal and the networks' own test ranges): test data, not leaks. Kept
# as truncated SHA-256 hashes (``published()``) so that this file does not
# itself hold card numbers; tests/validators/test_pii.py lists them in clear.
TEST_CARDS = _set(
    """
    10f6a49b3088d98187bf4316 11ed9eece6dca2522cc9c035 130cdd35bb361fdc05f21597
    1789612b7ca1f7d829a85f89 19ff47cc8024c133d5845d3f 1c9d38ed26cd808fa3b02b9b
    1d168821544a5a9971d8448c 1d942407169d8f20c6f6152f 1dd039f4adaa5fe3a360e8bd
    1f7b3768faf7a1c1086273cf 20e6583871d36495e2beca33 23b1f7e3e19a896f4cc8fa63
    253da55d8a05e361b2e41c28 259574b62f6e97a1b7bac968 273476b83f26d858e3e62e1f
    2f725bbd1f405a1ed0336aba 304945e91de3deff52a61d08 3425f1b24ad8cef732fa8142
    35b8ee49a804ee51d5433292 3a134ef77d4e2e4cdad2d294 3cc8217a6aad545082e07e56
    44d1fb5dc4a2717ff21b10e2 46a849204eaec3f01c9b0db7 477bba133c182267fe5f0869
    49ed370182b3e634b99a7cb7 4afe568ab2fc9ff8d58fe877 51a4ae4c6ae999146474a67c
    53a8fc816e63b7a5ccd17aaf 576c15a8072461c216efb9bd 5a65d383fa6b08bc756ab9ea
    5cc14dbd1b49a8f5ef93d813 62ac087033ba812fa52dd399 68594afe9c9cda525f6aca7a
    6923dd35bcc8208b7f023481 7cbcc57fc39e4317fa8d55bb 85b1557078428ce32dc45270
    85c71805cabafc44c925cea6 975136130120262dd3a57164 9830b424b7a69ba9909021c8
    9bbef19476623ca56c17da75 acd08f29a41f2e55ab0c4f77 add63fae0091c12aaaa41419
    b2946d3f150288d72723a064 b40e9bc7a74d50ab4f006ab0 b5f0856bd625aa220447db43
    b647994f8bbc5b4c03979735 be6a3050f2611250d0b50c1f c32066eec7feb6582d3c0390
    c55a653f9fe7993a29f2161c c598d138de1c5d049a9108a0 c5a9bff2bba174c426a7d5e1
    cea77093e4fdbd8616f5e6a2 d1654ab82c41839b3c7d48f5 d516aad436666992226d2f19
    d79449f462cec9af0d857c3e d8086d483c15c711ebba19f9 dd13cdf9af9dd3baf46ce96a
    dd34ed4550cb927d83f22b44 e523a5e893d92b6744138493 e5de3c3d9fcb43b15abddceb
    ef217347563fe35f2d6d913e f2e5869113fb2e20e8797fa1 f41e7ca4a3d71c4f047581f2
    """,
)


_CARD_LABEL = label("card*", "cc", "ccn", "pan", "credit*", "debit*", "visa", "mastercard",
                    "amex", "unionpay", "maestro", "diners", "discover", "jcb", "payment*",
                    "kreditkarte*", "tarjeta*")


def published(value: str, hashes: frozenset[str]) -> bool:
    return hashlib.sha256(value.encode("ascii")).hexdigest()[:24] in hashes


# The same ranges per card length, as ranges of the first four digits (every
# range above is at most four digits wide), in the same order: the first wins.
_ISSUERS_BY_LENGTH = {
    length: tuple(
        (low * 10 ** (4 - len(str(low))), (high + 1) * 10 ** (4 - len(str(high))) - 1, name)
        for low, high, lengths, name in _ISSUERS
        if length in lengths
    )
    for length in range(12, 20)
}


def card_issuer(digits: str) -> str | None:
    """The network whose range and lengths fit ``digits``, if any."""
    ranges = _ISSUERS_BY_LENGTH.get(len(digits))
    if not ranges:
        return None
    first_four = int(digits[:4])
    for low, high, name in ranges:
        if low <= first_four <= high:
            return name
    return None


def _card_grouping(value: str) -> bool:
    """Separators, when present, are one kind and split the number the way
    cards are printed: fours (the last group shorter), or 4-6-5 / 4-6-4."""
    separators = {char for char in value if not char.isdigit()}
    if not separators:
        return True
    if len(separators) > 1:
        return False
    groups = [len(group) for group in value.split(separators.pop())]
    if groups in ([4, 6, 5], [4, 6, 4]):
        return True
    return all(size == 4 for size in groups[:-1]) and 1 <= groups[-1] <= 4


def credit_card(candidate: Candidate) -> Verdict:
    value = candidate.secret
    digits = digits_of(value)
    if not _card_grouping(value):
        return Verdict(False, "separators do not group the digits like a printed card")
    issuer = card_issuer(digits)
    if issuer is None:
        return Verdict(False, "no card network issues this prefix and length")
    if not luhn(digits):
        return Verdict(False, "fails the Luhn check")
    if published(digits, TEST_CARDS):
        return Verdict(
            True, f"a published {issuer} test card number", "high", severity="low",
            test_data=True,
        )
    if len(set(digits)) <= 2:
        return Verdict(False, "too few distinct digits (a filler, not a card)")
    if len(digits) not in (15, 16) and value == digits and not labelled(candidate, _CARD_LABEL):
        # other lengths of bare digits are far more often integers (int64
        # seeds, snowflake ids, row ids) than the rare short or long cards
        return Verdict(False, f"{len(digits)} bare digits without a 'card' label")
    if value == digits and _in_arithmetic(candidate) and not labelled(candidate, _CARD_LABEL):
        return Verdict(False, "a factor in arithmetic, not a card number")
    if amid_numbers(candidate) and not labelled(candidate, _CARD_LABEL):
        return Verdict(False, "one of a run of numbers, not a card number")
    return Verdict(True, f"{issuer} range, length and Luhn check", "high")


def _in_arithmetic(candidate: Candidate) -> bool:
    """``4828147466240000*t**12``: multiplied or divided, a number in code
    (a comment's ``//``, ``/*`` or ``*/`` next to it is not arithmetic)."""
    before, after = candidate.before.rstrip(), candidate.after.lstrip()
    return (before[-1:] in ("*", "/", "%") and before[-2:-1] not in ("*", "/")) or (
        after[:1] in ("*", "/", "%") and after[1:2] not in ("*", "/")
    )


# --- US Social Security numbers ---------------------------------------------------

_SSN_LABEL = label("ssn", "ss", "ssn*", "social security*", "social sec*", "soc sec*", "ss no",
                   "ssnum", "ss num*", "sozialversicherung*", "tax id", "taxpayer*", "tin")
# Numbers the SSA voided after they were printed in advertising and wallets,
# and the textbook placeholder.
_SSN_EXAMPLES = frozenset({"078051120", "219099999", "123456789"})


def us_ssn(candidate: Candidate) -> Verdict:
    """Area 001-899 except 666, group 01-99, serial 0001-9999; dashes make
    the shape distinctive, any other form needs an "SSN" label."""
    value = candidate.secret
    separators = {char for char in value if not char.isdigit()}
    digits = digits_of(value)
    if len(digits) != 9 or len(separators) > 1:
        return Verdict(False, "separators are mixed")
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area[0] == "9":
        return Verdict(False, f"area {area} is never issued")
    if group == "00" or serial == "0000":
        return Verdict(False, "group 00 and serial 0000 are never issued")
    if digits in _SSN_EXAMPLES:
        return Verdict(False, "a voided or textbook example SSN")
    if len(set(digits)) <= 2:
        return Verdict(False, "too few distinct digits")
    if separators != {"-"} and not labelled(candidate, _SSN_LABEL):
        return Verdict(False, "nine digits without dashes need an 'SSN' label")
    return Verdict(True, "valid area, group and serial")


# --- IBAN -----------------------------------------------------------------------------

IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}
# The specimen IBANs that banks and standards print in their documentation
# (hashed like TEST_CARDS).
TEST_IBANS = _set(
    """
    0669f8f5825f3f3b9d043788 339f85069d056503edab4f4f 45c755c9e88ba16735daa1e4
    5488b036f43dca672fa2b95b 5806e726dc53200da69c9c0f 701502320c05f830e08c212f
    b179add486f3c7e1a11795d0 b84613f12f07e19880a16fd4 c498d017d83bf116da548fd5
    cb2609a461853b2a8da2f939 faf7e1c0107370ff6f5d0320
    """,
)


def iban(candidate: Candidate) -> Verdict:
    compact = candidate.secret.replace(" ", "").upper()
    country = compact[:2]
    expected = IBAN_LENGTHS.get(country)
    if expected is None:
        return Verdict(False, f"'{country}' does not use IBANs")
    if len(compact) != expected:
        return Verdict(False, f"{country} IBANs have {expected} characters, not {len(compact)}")
    if not iban_mod97(compact):
        return Verdict(False, "fails the ISO 13616 mod-97 check")
    if published(compact, TEST_IBANS):
        return Verdict(True, "a published specimen IBAN", "high", severity="low", test_data=True)
    return Verdict(True, "country length and mod-97 check", "high")


# --- IP addresses -------------------------------------------------------------------------

# Anycast resolvers and other famous service addresses: public, but nobody's.
_WELL_KNOWN_IPS = frozenset(
    {"8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112",
     "208.67.222.222", "208.67.220.220", "4.2.2.1", "4.2.2.2", "64.6.64.6", "64.6.65.6",
     "1.2.3.4", "4.3.2.1", "2001:4860:4860::8888", "2001:4860:4860::8844",
     "2606:4700:4700::1111", "2606:4700:4700::1001", "2620:fe::fe", "2620:fe::9"}
)
_VERSION_BEFORE = re.compile(
    r"""(?ix)(?:version|ver|release|rel|build|tag|firmware|fw|v|[=<>~^!]=?|==|\bpy(?:thon)?\d?
    |\bnode|\bgo|\bjava|\bapi|\bupdate|\bpatch|\bupgrade|\bchangelog|\bfrom|\bto|\bbump(?:ed)?)
    [\s:="'(v]*$"""
)
_CIDR = re.compile(r"/\d{1,3}(?!\d)")
_IP_FIELD = re.compile(r"ip|addr|host|server|remote|client|peer|src|dst|origin|forward")
_VERSION_FIELD = re.compile(r"version|release|build|tag|require|depend|firmware")
_VERSION_BUMP = re.compile(r"(?i)\bbump(?:s|ed|ing)?\b")
_IP_BEFORE = re.compile(r"(?i)(?:ip|addr|address|host|server|remote|client|peer|from|src|dst)\W*$")


# a line that reads as an OID table entry or talks about OIDs
_OID_LINE = re.compile(
    r"""(?i)\boid\b|object.?identifier|^\s*["'][0-2](?:\.\d+){3,}["']\s*[:=,)]"""
)


def ipv4(candidate: Candidate) -> Verdict:
    import ipaddress  # lazily, like every import the hook may not need

    value = candidate.secret
    try:
        address = ipaddress.IPv4Address(value)
    except ValueError:
        return Verdict(False, "not an IPv4 address")
    if not address.is_global or address.is_multicast:
        return Verdict(False, _special_purpose(address))
    if value in _WELL_KNOWN_IPS:
        return Verdict(False, "a well-known public service address, not a person's")
    if _CIDR.match(candidate.after):
        return Verdict(False, "a network prefix (CIDR), not one host's address")
    name = (candidate.field or "").lower()
    versioned, addressed = bool(_VERSION_FIELD.search(name)), bool(_IP_FIELD.search(name))
    if not (versioned or addressed):  # the column or key says nothing: read the text
        before = candidate.before[-40:]
        versioned, addressed = bool(_VERSION_BEFORE.search(before)), bool(_IP_BEFORE.search(before))
        if versioned and addressed and _VERSION_BUMP.search(candidate.line):
            addressed = False  # "bump X from 3.7.4.3 to ...": "from" starts a version change
    if versioned and not addressed:
        return Verdict(False, "a version number, not an address")
    if candidate.after[:1] == "-" and candidate.after[1:2].isalpha():
        return Verdict(False, "a version number (with a pre-release suffix)")
    octets = [int(part) for part in value.split(".")]
    if not addressed and amid_numbers(candidate):
        return Verdict(False, "one of a run of numbers (coordinates, path data), not an address")
    if max(octets) < 20 and not addressed:
        # section numbers (4.2.1.12) and versions (3.7.4.3): a person's public
        # address has all four octets below 20 about once in 2,000
        return Verdict(False, "small dotted numbers read as a version or section number")
    if not addressed and octets[0] <= 2 and octets[1] <= 39 and _OID_LINE.search(candidate.line):
        # 1.3.101.112 is Ed25519's object identifier: OIDs start with arc
        # 0-2 then 0-39, and sit in tables or beside the word "oid"
        return Verdict(False, "an ASN.1 object identifier, not an address")
    return Verdict(True, "a public address")


def ipv6(candidate: Candidate) -> Verdict:
    import ipaddress

    value = candidate.secret
    try:
        address = ipaddress.IPv6Address(value)
    except ValueError:
        return Verdict(False, "not an IPv6 address")
    global_unicast, documentation = _v6_networks()
    if address not in global_unicast or address in documentation or not address.is_global:
        return Verdict(False, _special_purpose(address))
    if str(address) in _WELL_KNOWN_IPS:
        return Verdict(False, "a well-known public service address, not a person's")
    if _CIDR.match(candidate.after):
        return Verdict(False, "a network prefix (CIDR), not one host's address")
    if value.count(":") < 3 and "::" not in value:
        return Verdict(False, "too few groups for an address")
    if value.count(":") > 7:
        return Verdict(False, "too many groups for an address")
    return Verdict(True, "a public address")


@functools.cache
def _v6_networks() -> tuple[ipaddress.IPv6Network, ipaddress.IPv6Network]:
    """Global unicast space, and RFC 9637's documentation prefix (unknown to
    older Pythons' ``is_global``)."""
    import ipaddress

    return ipaddress.IPv6Network("2000::/3"), ipaddress.IPv6Network("3fff::/20")


def _special_purpose(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_private:
        return "a private, documentation or reserved address"
    return "not a public unicast address"


# --- dates of birth ---------------------------------------------------------------------------

_DOB_LABEL = label(
    "dob", "d o b", "birth*", "born", "bday", "b day", "date of birth", "geburt*", "geboren",
    "naissance", "ne le", "nacimiento", "fecha de nac*", "nascita", "geboorte*",
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}


def _dates(value: str) -> list[datetime.date]:
    """Every calendar date ``value`` can mean (``03/04/1985`` is two)."""
    text = value.lower().replace(",", " ").replace(".", " ")
    numbers = [int(part) for part in re.findall(r"\d+", text)]
    month_word = next((_MONTHS[w] for w in re.findall(r"[a-z]+", text) if w in _MONTHS), None)
    options: list[tuple[int, int, int]] = []
    if month_word is not None and len(numbers) >= 2:
        day, year = (numbers[0], numbers[-1]) if numbers[-1] > 31 else (numbers[-1], numbers[0])
        options.append((year, month_word, day))
    elif len(numbers) == 3:
        first, second, third = numbers
        if first > 31:
            options.append((first, second, third))
        else:
            options.extend([(third, second, first), (third, first, second)])
    result = []
    for year, month, day in options:
        try:
            result.append(datetime.date(year, month, day))
        except ValueError:
            continue
    return result


def date_of_birth(candidate: Candidate) -> Verdict:
    """A real past date, labelled as a birth date right before it (or by its
    column); plain dates and timestamps are not personal data."""
    dates = _dates(candidate.secret)
    if not dates:
        return Verdict(False, "not a calendar date")
    today = datetime.date.today()
    if not any(datetime.date(1900, 1, 1) <= date <= today for date in dates):
        return Verdict(False, "not a plausible birth date (before 1900 or in the future)")
    if not labelled(candidate, _DOB_LABEL):
        return Verdict(False, "a date without a 'date of birth' label next to it")
    return Verdict(True, "a date labelled as a birth date")


# --- passports ------------------------------------------------------------------------------

_PASSPORT_LABEL = label("passport*", "reisepass*", "passeport*", "pasaporte*", "passaporto*")


def passport(candidate: Candidate) -> Verdict:
    value = candidate.secret
    digits = sum(char.isdigit() for char in value)
    if digits < 5:
        return Verdict(False, "passport numbers carry at least five digits")
    if len(set(value)) <= 2:
        return Verdict(False, "too few distinct characters")
    if not labelled(candidate, _PASSPORT_LABEL):
        return Verdict(False, "no 'passport' label next to the value")
    return Verdict(True, "labelled as a passport number")
