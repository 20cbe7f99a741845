"""leakguard: stop secrets and personal data from leaking through git."""

__version__ = "0.4.0"
