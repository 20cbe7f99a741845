"""Shared fixtures: real git repositories in temporary folders and a way to run
the real CLI in-process and read what it printed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from leakguard import cli

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@users.noreply.leakguard.test",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@users.noreply.leakguard.test",
    "GIT_AUTHOR_DATE": "2026-01-02T03:04:05+00:00",
    "GIT_COMMITTER_DATE": "2026-01-02T03:04:05+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's git config or writes to their cache."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


@dataclass
class Repo:
    """A real git repository in a temporary folder."""

    path: Path

    def git(
        self, *args: str, check: bool = True, env: dict[str, str] | None = None,
        input_text: str | None = None,
    ) -> str:
        completed = subprocess.run(
            ["git", *args], cwd=self.path, capture_output=True, text=True, check=False,
            env={**os.environ, **GIT_ENV, **(env or {})}, input=input_text,
        )
        if check and completed.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {completed.stderr}")
        return completed.stdout

    def write(self, name: str, content: str | bytes) -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    def shallow_clone(self, target: Path) -> Repo:
        """A clone of this repository holding only its last commit."""
        subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{self.path}", str(target)],
                       check=True, capture_output=True)
        return Repo(target)

    def commit(self, message: str = "change", *names: str) -> str:
        self.git("add", "--all", *names)
        self.git("commit", "--quiet", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def conflicting_merge(self, name: str, base: str, feature: str, main: str) -> None:
        """Branch ``feature`` and ``main`` each change file ``name`` from
        ``base``; merging ``feature`` into ``main`` stops on the conflict,
        for the test to write and commit a resolution."""
        self.write(name, base)
        self.commit("base")
        self.git("checkout", "-q", "-b", "feature")
        self.write(name, feature)
        self.commit("feature value")
        self.git("checkout", "-q", "main")
        self.write(name, main)
        self.commit("main value")
        self.git("merge", "-q", "feature", check=False)
        assert self.git("ls-files", "--unmerged").strip(), "the merge did not conflict"


def customer_findings(book: str) -> list[tuple[str, str, int, int, str]]:
    """(path, type, line, row, field) of what a scan reports in the
    ``customers`` workbooks under tests/data/ (each folder's generate.py
    writes the same sheets): the labelled row and the token in its notes."""
    return [
        (f"{book}!Customers", "DATE_OF_BIRTH", 2, 1, "dob"),
        (f"{book}!Customers", "EMAIL", 2, 1, "email"),
        (f"{book}!Customers", "PHONE", 2, 1, "phone"),
        (f"{book}!Notes", "GITHUB_TOKEN", 3, 2, "column 2"),
    ]


def first_export_types(first: str) -> list[tuple[str, str]]:
    """(type, commit) of what history reports in the first commit of a
    ``customers`` workbook."""
    return [("DATE_OF_BIRTH", first), ("EMAIL", first), ("PHONE", first), ("GITHUB_TOKEN", first)]


def code_notebook(*sources: str) -> str:
    """A notebook (JSON) of code cells with these sources and no outputs."""
    return json.dumps({"cells": [
        {"cell_type": "code", "source": [source], "metadata": {}, "execution_count": None,
         "outputs": []}
        for source in sources
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    path = tmp_path / "repo"
    path.mkdir()
    created = Repo(path)
    created.git("init", "--quiet", "--initial-branch=main")
    created.git("config", "user.name", GIT_ENV["GIT_AUTHOR_NAME"])
    created.git("config", "user.email", GIT_ENV["GIT_AUTHOR_EMAIL"])
    created.git("config", "commit.gpgsign", "false")
    return created


@dataclass
class Run:
    """What one CLI invocation returned and printed."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run ``leakguard ARGS`` in-process, optionally in ``cwd`` with ``stdin``."""

    def invoke(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        capsys.readouterr()
        code = cli.main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return invoke
