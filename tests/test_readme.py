"""The README's commands, run as printed, in a fresh shell, in order: a README that cannot drift
from the code.

Every ```bash line and ```python block of README.md becomes one step of a single bash script,
in the README's order, run by `bash -l` with a bare environment (no `.venv` on the PATH: the
README's own `. .venv/bin/activate` line has to provide it), offline and with an empty Hugging
Face cache, in a sandbox: a folder holding links to the repository's tracked files and `.venv`,
beside a link named `shared` to the shared data, so that relative paths (`fixtures/...`,
`../shared/data`) mean what they mean in a clone, while what the commands write (`runs/`,
`data/`, `predictions.jsonl`, `view.html`) stays in the sandbox. A python block runs as
`python - <<EOF ... EOF`. Each step must exit with status 0, except:

- `NOT_RUN`: `make demo` trains for about two minutes (its model, `runs/demo/model.tar.gz`, is
  stood in for by the tests' fixture model, `archive`, put there first), and `make test` is this
  suite;
- `NEEDS_THE_HUB`: the trainings on real data, which take hours with `bert-base-cased` from the
  hub. They run as printed and, offline with an empty cache, must stop at once with the one line
  that points to "Offline use", leaving no run folder: so their config, data files (put in place
  by the README's data command before them) and typos are checked. The fixture model then stands
  in for their `model.tar.gz`, which the README's `allennlp evaluate` reads.

A README command not named here is run and must succeed; a name here that the README lacks fails
the test too.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import REPO_ROOT, SHARED_DATA

README = REPO_ROOT / "README.md"
NOT_RUN = {
    "make demo": "trains for about 2 minutes; the fixture model stands in for runs/demo",
    "make test": "the test suite itself",
}
NEEDS_THE_HUB = {
    "allennlp train training_config/conll04.jsonnet -s runs/conll04": "runs/conll04",
    "allennlp train training_config/ade.jsonnet -s runs/ade": "runs/ade",
}
BLOCK = re.compile(r"^```(bash|python)\n(.*?)^```", re.MULTILINE | re.DOTALL)
STEP = "@@ step"


def readme_steps(text: str) -> list[str]:
    """The README's commands in order: each bash line (comments dropped) and each python block."""
    steps = []
    for language, body in BLOCK.findall(text):
        if language == "python":
            steps.append(f"python - <<'README_PYTHON'\n{body}README_PYTHON")
        else:
            steps += [line.split("  #")[0].strip() for line in body.splitlines() if line.strip()]
    return steps


def sandbox(root: Path, archive: Path) -> Path:
    """A clone's layout under `root`: links to the tracked top-level entries and `.venv`, the
    shared data beside it, and the fixture model as `runs/demo/model.tar.gz`."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    clone = root / "clone"
    clone.mkdir()
    for name in sorted({path.split("/")[0] for path in tracked} | {".venv"}):
        (clone / name).symlink_to(REPO_ROOT / name)
    (root / "shared").symlink_to(SHARED_DATA.parent)
    stand_in(archive, clone / "runs" / "demo")
    return clone


def stand_in(archive: Path, run_dir: Path) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(archive, run_dir / "model.tar.gz")


def script(steps: list[str], archive: Path) -> str:
    """The bash script: each step announced, run, and its status printed."""
    lines = []
    for index, step in enumerate(steps):
        lines.append(f"echo '{STEP} {index}'")
        if step in NOT_RUN:
            continue
        lines += [step, f'echo "{STEP} {index} status $? (${{SECONDS}} s)"']
        if step in NEEDS_THE_HUB:
            run_dir = NEEDS_THE_HUB[step]
            lines.append(f"test -e {run_dir} && echo '{STEP} {index} left {run_dir}'")
            lines.append(f"mkdir -p {run_dir} && cp '{archive}' {run_dir}/model.tar.gz")
    return "\n".join(lines) + "\n"


def outputs(printed: str) -> dict[int, str]:
    """What each step printed, by step."""
    parts = re.split(rf"^{STEP} (\d+)\n", printed, flags=re.MULTILINE)
    return {int(index): text for index, text in zip(parts[1::2], parts[2::2])}


def test_the_special_commands_are_in_the_readme():
    steps = readme_steps(README.read_text())
    assert set(NOT_RUN) <= set(steps) and set(NEEDS_THE_HUB) <= set(steps)
    assert steps.index(". .venv/bin/activate") < min(
        index for index, step in enumerate(steps) if step.startswith(("allennlp", "python"))
    )


def test_every_readme_command_runs_as_printed_in_a_fresh_shell(tmp_path, archive):
    if not SHARED_DATA.exists():
        pytest.skip(f"{SHARED_DATA} is absent (the README's data command reads it)")
    steps = readme_steps(README.read_text())
    clone = sandbox(tmp_path, archive)
    (tmp_path / "hf").mkdir()
    environment = {
        "HOME": str(tmp_path),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf"),
    }
    finished = subprocess.run(
        ["bash", "-l", "-c", script(steps, archive)],
        cwd=clone,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )
    printed = outputs(finished.stdout)
    for index, step in enumerate(steps):
        shown = printed.get(index, "")
        if step in NOT_RUN:
            continue
        if step in NEEDS_THE_HUB:
            assert f"{STEP} {index} status 1 " in shown, (step, shown[-2000:])
            assert 'see README "Offline use"' in shown, (step, shown[-2000:])
            assert f"{STEP} {index} left" not in shown, step
        else:
            assert f"{STEP} {index} status 0 " in shown, (step, shown[-3000:])
    assert (clone / "view.html").exists() and (clone / "data" / "conll04").is_dir()
