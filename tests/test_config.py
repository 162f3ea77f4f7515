"""Settings: grouped, every field described, the flat RAG_* names users set, no side
effects on import, and one page (docs/configuration.md) that lists every variable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from rag import cli
from rag.config import GROUPS, Settings, described

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_has_a_group_and_a_description():
    rows = described()
    assert {group for group, *_ in rows} == {"storage", *GROUPS}
    assert all(description.strip() for *_, description in rows), [v for _, v, _, d in rows if not d.strip()]
    assert len({variable for _, variable, *_ in rows}) == len(rows)  # no name in two groups


def test_flat_variables_and_keywords_reach_their_group(monkeypatch, tmp_path):
    monkeypatch.setenv("RAG_MAX_QUOTES", "2")
    monkeypatch.setenv("RAG_CHUNK_WORDS", "80")
    settings = Settings(data_dir=tmp_path, reader=False, api_token="t")
    assert (settings.answer.max_quotes, settings.index.chunk_words) == (2, 80)
    assert settings.answer.reader is False and settings.api.api_token == "t" and settings.data_dir == tmp_path
    assert Settings(max_quotes=5).answer.max_quotes == 5  # a keyword beats the variable
    with pytest.raises(ValidationError):
        Settings(max_quote=5)  # a typo is an error, not silently ignored
    with pytest.raises(ValidationError):
        Settings(fusion="average")  # choices are typed once, here


def test_importing_the_settings_changes_no_environment_variable():
    code = ("import os, json; before = dict(os.environ); import rag.config; rag.config.Settings(); "
            "print(json.dumps(sorted(set(os.environ.items()) ^ set(before.items()))))")
    env = {"PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_rag_config_lists_every_variable_with_its_value(capsys, monkeypatch):
    monkeypatch.setenv("RAG_RATE_LIMIT", "7")
    assert cli.main(["config", "--json"]) == 0
    rows = {row["variable"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(rows) == {variable for _, variable, *_ in described()}
    assert rows["RAG_RATE_LIMIT"]["value"] == "7" and rows["RAG_RATE_LIMIT"]["group"] == "api"


def test_the_configuration_page_names_every_variable():
    page = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert [variable for _, variable, *_ in described() if f"`{variable}`" not in page] == []


def test_protecting_reads_without_a_token_is_refused_not_left_open(monkeypatch, capsys):
    """RAG_PROTECT_READS=true with no RAG_API_TOKEN used to protect nothing, silently."""
    with pytest.raises(ValidationError, match="RAG_API_TOKEN"):
        Settings(protect_reads=True)
    assert Settings(protect_reads=True, api_token="t").api.protect_reads
    monkeypatch.setenv("RAG_PROTECT_READS", "true")
    assert cli.main(["stats"]) == 2 and "RAG_PROTECT_READS" in capsys.readouterr().err


@pytest.mark.parametrize("token", ["pässword", "token ", " token", "to\tken"])
def test_a_token_no_header_can_carry_is_refused_at_start(token):
    """A non-ASCII token arrives as other (Latin-1) text and a space at its ends is stripped in
    transit: the right token would be refused on every request (and the UI's client cannot send it)."""
    with pytest.raises(ValidationError, match="visible ASCII"):
        Settings(api_token=token)
    assert Settings(api_token="Abc-123._~+/=").api.api_token == "Abc-123._~+/="


def test_a_bad_token_is_named_but_not_printed(monkeypatch, capsys):
    monkeypatch.setenv("RAG_API_TOKEN", "s3cret päss")
    assert cli.main(["stats"]) == 2
    err = capsys.readouterr().err
    assert "RAG_API_TOKEN" in err and "s3cret" not in err
