"""The environment's start-up hook (`scripts/stsn_quiet_startup.pth`, installed by the set-up):
an `allennlp` command starts without the libraries' import-time warnings and plugin notices."""

import os
import subprocess
import sys
from pathlib import Path

ALLENNLP = Path(sys.executable).parent / "allennlp"


def allennlp_help_stderr(**env: str) -> str:
    """What `allennlp --help` writes to stderr, in a fresh process of this environment."""
    environment = {key: value for key, value in os.environ.items() if key != "STSN_VERBOSE"}
    completed = subprocess.run(
        [str(ALLENNLP), "--help"],
        env={**environment, "HF_HUB_OFFLINE": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stderr


def test_a_command_starts_without_library_warnings_or_plugin_notices():
    assert allennlp_help_stderr() == ""


def test_stsn_verbose_brings_the_start_up_messages_back():
    stderr = allennlp_help_stderr(STSN_VERBOSE="1")
    assert "Plugin stsn_allennlp.components available" in stderr
    assert "FutureWarning" in stderr
