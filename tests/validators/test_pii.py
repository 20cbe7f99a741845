"""Personal-data validators: each check with the look-alikes it must reject.
Every value is synthetic (generated to pass or fail its checks)."""

from __future__ import annotations

import pytest

from leakguard.validators import VALIDATORS, Candidate
from leakguard.validators.pii import card_issuer


def _judge(name: str, line: str, value: str, field: str | None = None) -> tuple[bool, str]:
    start = line.index(value)
    verdict = VALIDATORS[name](Candidate(value, line, start, start + len(value), field))
    return verdict.valid, verdict.reason


@pytest.mark.parametrize(
    ("line", "value", "valid"),
    [
        ("to: maria.gonzalez84@gmail.com", "maria.gonzalez84@gmail.com", True),
        ("t.okafor@outlook.co.uk", "t.okafor@outlook.co.uk", True),
        ("user@example.com", "user@example.com", False),
        ("ana@sub.example.org", "ana@sub.example.org", False),
        ("bob@corp.test", "bob@corp.test", False),
        ("ana@box.local", "ana@box.local", False),
        ("noreply@github.com", "noreply@github.com", False),
        ("No_Reply@bank.com", "No_Reply@bank.com", False),
        ("1+octo@users.noreply.github.com", "1+octo@users.noreply.github.com", False),
        ("git@gitlab.com:team/app.git", "git@gitlab.com", False),
        ("ops-user@build.corp.net:/srv", "ops-user@build.corp.net", False),
        ("https://ana@bitbucket.org/x", "ana@bitbucket.org", False),
        ("y = w@self.weight", "w@self.weight", False),
        ("security@python.org", "security@python.org", False),
        ("ana..lima@gmail.com", "ana..lima@gmail.com", False),
    ],
)
def test_email(line: str, value: str, valid: bool) -> None:
    assert _judge("email", line, value)[0] is valid


@pytest.mark.parametrize(
    ("line", "value", "field", "valid", "reason"),
    [
        ("+1 415 867 2301", "+1 415 867 2301", None, True, ""),
        ("(212) 736-4100", "(212) 736-4100", None, True, ""),
        ("001-212-736-4100x221", "001-212-736-4100x221", None, True, ""),
        ("+44 20 7123 4567", "+44 20 7123 4567", None, True, ""),
        ("phone: 020 7123 4567", "020 7123 4567", None, True, ""),
        ("4158672301", "4158672301", "mobile_phone", True, ""),
        ("4158672301", "4158672301", None, False, "label"),
        ("build 20220101.89", "20220101.89", None, False, "layouts"),
        ("212-555-0142", "212-555-0142", None, False, "fiction"),
        ("212-555-7788", "212-555-7788", None, False, "555"),
        ("phone: 020 7946 0321", "020 7946 0321", None, False, "fiction"),
        ("+1 123 456 7890", "+1 123 456 7890", None, False, "valid"),
        ("version 1.415.867.2301", "1.415.867.2301", None, False, "version"),
        ("(111) 111-1111", "(111) 111-1111", None, False, "distinct"),
        ("y = x +104", "+104", None, False, "many digits"),
        ("pi = +3.14159265358979323846264", "+3.14159265358979323846264", None, False,
         "many digits"),
        ("call 0044 20 7123 4567", "0044 20 7123 4567", None, True, ""),
    ],
)
def test_phone(line: str, value: str, field: str | None, valid: bool, reason: str) -> None:
    result, why = _judge("phone", line, value, field)
    assert result is valid, why
    assert reason in why


def test_international_numbers_have_as_many_digits_as_some_numbering_plan_allows() -> None:
    """The digit counts the phone validator checks before parsing are those
    of phonenumbers' own plans (a newer phonenumbers may widen them)."""
    from phonenumbers import PhoneMetadata
    from phonenumbers.phonenumberutil import COUNTRY_CODES_FOR_NON_GEO_REGIONS, SUPPORTED_REGIONS

    from leakguard.validators.pii import INTERNATIONAL_DIGITS

    plans = [PhoneMetadata.metadata_for_region(region) for region in SUPPORTED_REGIONS] + [
        PhoneMetadata.metadata_for_nongeo_region(code) for code in COUNTRY_CODES_FOR_NON_GEO_REGIONS
    ]
    totals = [
        len(str(plan.country_code)) + length
        for plan in plans
        for length in plan.general_desc.possible_length
        if length > 0
    ]
    assert (min(totals), max(totals)) == INTERNATIONAL_DIGITS


# Payment processors' published test numbers (Stripe, Braintree, Adyen, networks).
TEST_CARDS = (
    "4111111111111111", "4242424242424242", "4012888888881881", "4222222222222",
    "4000056655665556", "4000000000000002", "4000000000000077", "4000000000000069",
    "4000000000000119", "4000000000000127", "4000000000000101", "4000000000000341",
    "4000000000003220", "4000000000009995", "4000002500003155", "4000000000000010",
    "4000000000000028", "4000000000000036", "4000000000000044", "4000000000000093",
    "4444333322221111", "4005519200000004", "4009348888881881", "4012000033330026",
    "4012000077777777", "4217651111111119", "4500600000000061", "4000000760000002",
    "4000001240000000", "4000000000000051", "5555555555554444", "5105105105105100",
    "5200828282828210", "2223003122003222", "2223000048400011", "5454545454545454",
    "5431111111111111", "5425233430109903", "2222400070000005", "5101180000000007",
    "378282246310005", "371449635398431", "378734493671000", "340000000000009",
    "370000000000002", "6011111111111117", "6011000990139424", "6011601160116611",
    "6011000000000004", "6011000000000012", "30569309025904", "38520000023237",
    "36227206271667", "36259600000004", "3056930009020004", "3530111333300000",
    "3566002020360505", "3566111111111113", "6200000000000005", "6200000000000047",
    "6205500000000000004", "6759649826438453", "6799990100000000019",
)


def _with_check_digit(body: str) -> str:
    """``body`` and the Luhn check digit that makes it valid."""
    total = 0
    for index, digit in enumerate(reversed(body)):
        value = int(digit) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return body + str(-total % 10)


def _issued_numbers() -> list[tuple[str, str]]:
    """(network, a number) for both ends of every range, at every length the
    validator's issuer table allows."""
    from leakguard.validators.pii import _ISSUERS

    return [
        (name, _with_check_digit((str(prefix) + "4729581063" * 2)[: length - 1]))
        for low, high, lengths, name in _ISSUERS
        for prefix in (low, high)
        for length in lengths
    ]


def test_the_card_regex_takes_every_length_each_network_issues() -> None:
    """The card rule's regex refuses unbroken runs of a length no network
    issues for their first digit: it must still take every one the
    validator's issuer table allows, or a network added there is missed."""
    from leakguard.matcher import compile_rule_regex
    from leakguard.rules import builtin_patterns_dir, load_rules

    [rule] = [r for r in load_rules([builtin_patterns_dir() / "pii.toml"], cache_dir=None)
              if r.id == "pii-credit-card"]
    pattern = compile_rule_regex(rule.regex)
    numbers = _issued_numbers()
    assert len(numbers) > 100
    for name, number in numbers:
        found = pattern.search(f"card: {number}")
        assert found is not None and found.group(1) == number, (name, number)
        assert VALIDATORS["credit_card"](Candidate(number, f"card: {number}", 6, 6 + len(number))).valid


@pytest.mark.parametrize("number", TEST_CARDS)
def test_published_test_cards_are_test_data_at_low_severity(number: str) -> None:
    verdict = VALIDATORS["credit_card"](Candidate(number, number, 0, len(number)))
    assert (verdict.valid, verdict.test_data, verdict.severity) == (True, True, "low"), verdict


@pytest.mark.parametrize(
    ("value", "valid", "reason"),
    [
        ("4526 0181 5908 3012", True, "Visa"),
        ("5461-3186-0913-9099", True, "Mastercard"),
        ("2720960308246289", True, "Mastercard"),
        ("3719-482199-35187", True, "American Express"),
        ("6011190937865791", True, "Discover"),
        ("3530754323194873", True, "JCB"),
        ("6257491186252760189", False, "19 bare digits"),
        ("675995559795", False, "12 bare digits"),
        ("36711471049742", False, "14 bare digits"),
        ("6759 9555 9795", True, "Maestro"),
        ("3671-147104-9742", True, "Diners"),
        ("4526 0181 5908 3013", False, "Luhn"),
        ("4526-0181 5908-3012", False, "separators"),
        ("45260 18159 08301 2", False, "separators"),
        ("9526018159083012", False, "network"),
        ("1699999999999", False, "network"),
        ("4444444444444448", False, "distinct"),
    ],
)
def test_credit_card(value: str, valid: bool, reason: str) -> None:
    result, why = _judge("credit_card", value, value)
    assert result is valid, why
    assert reason in why


@pytest.mark.parametrize(
    ("line", "value", "valid"),
    [("card: 6257491186252760189", "6257491186252760189", True),
     ("[[6257491186252760189, 7]]", "6257491186252760189", False),
     ("x 6257 4911 8625 2760 189", "6257 4911 8625 2760 189", True)],
)
def test_long_bare_card_numbers_need_a_label(line: str, value: str, valid: bool) -> None:
    assert _judge("credit_card", line, value)[0] is valid


@pytest.mark.parametrize(
    ("digits", "issuer"),
    [("4" + "0" * 15, "Visa"), ("2221" + "0" * 12, "Mastercard"), ("2721" + "0" * 12, None),
     ("34" + "0" * 13, "American Express"), ("34" + "0" * 14, None), ("2200" + "0" * 12, "Mir")],
)
def test_card_issuer_ranges_and_lengths(digits: str, issuer: str | None) -> None:
    assert card_issuer(digits) == issuer


def test_card_issuer_reads_the_issuer_table_as_written() -> None:
    """The lookup is precomputed per length: the table read entry by entry,
    first fit wins, must give the same network for every prefix and length."""
    from leakguard.validators.pii import _ISSUERS

    def as_written(digits: str) -> str | None:
        for low, high, lengths, name in _ISSUERS:
            if len(digits) in lengths and low <= int(digits[: len(str(low))]) <= high:
                return name
        return None

    for length in range(11, 21):
        for prefix in range(10_000):
            digits = f"{prefix:04d}" + "7" * (length - 4)
            assert card_issuer(digits) == as_written(digits), digits


@pytest.mark.parametrize(
    ("line", "value", "field", "valid", "reason"),
    [
        ("SSN: 536-22-8137", "536-22-8137", None, True, ""),
        ("on file 412-71-9035", "412-71-9035", None, True, ""),
        ("ssn = 536228137", "536228137", None, True, ""),
        ("536228137", "536228137", "customer_ssn", True, ""),
        ("536 22 8137", "536 22 8137", "SocialSecurityNumber", True, ""),
        ("order 536228137", "536228137", None, False, "label"),
        ("ssn 000-22-8137", "000-22-8137", None, False, "area"),
        ("ssn 666-22-8137", "666-22-8137", None, False, "area"),
        ("ssn 936-22-8137", "936-22-8137", None, False, "area"),
        ("ssn 536-00-8137", "536-00-8137", None, False, "group"),
        ("ssn 536-22-0000", "536-22-0000", None, False, "serial"),
        ("ssn 078-05-1120", "078-05-1120", None, False, "example"),
        ("ssn 536-22 8137", "536-22 8137", None, False, "mixed"),
    ],
)
def test_us_ssn(line: str, value: str, field: str | None, valid: bool, reason: str) -> None:
    result, why = _judge("us_ssn", line, value, field)
    assert result is valid, why
    assert reason in why


@pytest.mark.parametrize(
    ("value", "valid", "reason"),
    [
        ("DE44 5001 0517 5407 3249 31", True, "mod-97"),
        ("GB15NWBK60161331926877", True, "mod-97"),
        ("FR7630006000011234567890189", True, "mod-97"),
        ("DE44 5001 0517 5407 3249 32", False, "mod-97"),
        ("DE44500105175407324", False, "22 characters"),
        ("XX44500105175407324931", False, "does not use"),
        ("GB82WEST12345698765432", True, "specimen"),
    ],
)
def test_iban(value: str, valid: bool, reason: str) -> None:
    result, why = _judge("iban", value, value)
    assert result is valid, why
    assert reason in why


@pytest.mark.parametrize(
    ("line", "value", "valid"),
    [
        ('client_ip = "81.2.69.160"', "81.2.69.160", True),
        ("GET / from 145.254.33.17", "145.254.33.17", True),
        ("ssh admin@176.31.84.249", "176.31.84.249", True),
        ("host = 5.6.7.8", "5.6.7.8", True),
        ("10.0.0.1", "10.0.0.1", False),
        ("172.16.254.1", "172.16.254.1", False),
        ("192.168.1.20", "192.168.1.20", False),
        ("127.0.0.1", "127.0.0.1", False),
        ("169.254.10.1", "169.254.10.1", False),
        ("100.64.1.1", "100.64.1.1", False),
        ("192.0.2.44", "192.0.2.44", False),
        ("198.51.100.7", "198.51.100.7", False),
        ("203.0.113.9", "203.0.113.9", False),
        ("224.0.0.251", "224.0.0.251", False),
        ("8.8.8.8", "8.8.8.8", False),
        ("1.2.3.4", "1.2.3.4", False),
        ("requests==2.31.0.1", "2.31.0.1", False),
        ("version 4.8.3.2", "4.8.3.2", False),
        ("Version: 81.2.69.160", "81.2.69.160", False),
        ("deps 5.6.7.8", "5.6.7.8", False),
        ("route 81.2.69.0/24", "81.2.69.0", False),
        ("v81.2.69.160-beta", "81.2.69.160", False),
    ],
)
def test_ipv4(line: str, value: str, valid: bool) -> None:
    assert _judge("ipv4", line, value)[0] is valid


@pytest.mark.parametrize(
    ("field", "line", "value", "valid"),
    [("client_ip", "x,v,{}", "81.2.69.160", True), ("remote_addr", "x,v,{}", "5.6.7.8", True),
     ("version", "x,from,{}", "81.2.69.160", False), ("note", "x,{}", "1.1.5.6", False),
     ("source", "requires = 'pkg=={}'", "14.29.7.27", False)],
)
def test_ipv4_reads_its_column_then_its_text(field: str, line: str, value: str, valid: bool) -> None:
    assert _judge("ipv4", line.format(value), value, field)[0] is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2a03:2880:f12f:83:face:b00c:0:25de", True),
        ("2001:67c:2e8:22::c100:68b", True),
        ("2001:db8::1", False),
        ("2002::", True),
        ("23:59:59", False),
        ("3fff::1", False),
        ("2001:4860:4860::8888", False),
        ("2:3:4", False),
    ],
)
def test_ipv6(value: str, valid: bool) -> None:
    assert _judge("ipv6", value, value)[0] is valid


@pytest.mark.parametrize(
    ("line", "value", "field", "valid"),
    [
        ("dob: 1985-03-14", "1985-03-14", None, True),
        ("Date of birth: 14/03/1985", "14/03/1985", None, True),
        ("Date of Birth (MM/DD/YYYY): 03/14/1985", "03/14/1985", None, True),
        ("born on 14 March 1985", "14 March 1985", None, True),
        ("born March 14th, 1985", "March 14th, 1985", None, True),
        ("Geburtsdatum: 14.03.1985", "14.03.1985", None, True),
        ("1985-03-14", "1985-03-14", "date_of_birth", True),
        ("1985-03-14", "1985-03-14", "customerBirthDate", True),
        ("1985-03-14", "1985-03-14", "created_at", False),
        ("created: 1985-03-14", "1985-03-14", None, False),
        ("dob_checked: yes, created: 2020-01-15", "2020-01-15", None, False),
        ("dob: 2150-01-01", "2150-01-01", None, False),
        ("dob: 1985-02-30", "1985-02-30", None, False),
        ("dob: 1850-02-03", "1850-02-03", None, False),
    ],
)
def test_date_of_birth(line: str, value: str, field: str | None, valid: bool) -> None:
    assert _judge("date_of_birth", line, value, field)[0] is valid


@pytest.mark.parametrize(
    ("line", "value", "field", "valid"),
    [
        ("Passport number: 533918274", "533918274", None, True),
        ('"passport_no": "C7R48KZ92"', "C7R48KZ92", None, True),
        ("X48217795", "X48217795", "passportNumber", True),
        ("passport: PENDING", "PENDING", None, False),
        ("passport: 111111111", "111111111", None, False),
        ("passport, issued 2019, file 123456789", "123456789", None, False),
        ("X48217795", "X48217795", "order_id", False),
    ],
)
def test_passport(line: str, value: str, field: str | None, valid: bool) -> None:
    assert _judge("passport", line, value, field)[0] is valid
