"""Paths the tests share."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "fixtures"
FIXTURE_DATA = FIXTURES / "data"
TINY_BERT = FIXTURES / "tiny_bert"
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
