"""Synthetic test credentials: format-valid, generated for this suite, never real.

This file is allowlisted in the repository's own .leakguard.toml.
"""

GITHUB_TOKEN = "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"
OTHER_GITHUB_TOKEN = "ghp_4fT9qZ2mL8vR3xK7pW1nB6yH0dJ5sC2gA9eQ"
GITHUB_FINE_GRAINED = (
    "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"
)
PASSWORD = "Y5ub&iheyEd7P4"
