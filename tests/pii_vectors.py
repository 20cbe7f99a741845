"""Synthetic personal data for the suite: generated to pass their checks
(Luhn, mod-97, numbering plans), never real people's. Allowlisted with tests/."""

EMAIL = "maria.gonzalez84@gmail.com"
OTHER_EMAIL = "jo.berg@telia.se"
PHONE = "+1 415 867 2301"
CARD = "4526018159083012"
TEST_CARD = "4242424242424242"
SSN = "536-22-8137"
IBAN = "DE44500105175407324931"
IPV4 = "81.2.69.160"
DOB = "1985-03-14"
# a national-format UK number: personal data only where a label (a CSV header) says "phone"
LABELLED_PHONE = "020 7123 4567"
