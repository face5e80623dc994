"""The server as a user starts it: the README's command, the same answers as `allennlp predict`,
bound to 127.0.0.1, killed and started again with two workers."""

import json
import os
import signal
import time
from pathlib import Path

from stsn_allennlp.core.records import output_lines
from stsn_allennlp.serve.__main__ import main
from stsn_allennlp.serve.process import ServerProcess
from tests import REPO_ROOT
from tests.predictors.test_cli import allennlp, read_lines

INPUTS = [
    {"sentence": "John Smith works for Acme Corp. in Boston."},
    {"document": "Mary Jones lives in Paris. She works for Globex."},
    {"tokens": ["Peter", "Brown", "lives", "in", "Berlin", "."]},
    {"sentence": ""},
]


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as /proc/net/tcp* writes them) listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def group_alive(group: int, wait: float) -> bool:
    """Whether a process of the group is still there after at most `wait` seconds."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)
    return True


def predict_file(monkeypatch, tmp_path: Path, archive: Path, batch_size: int) -> list[dict]:
    inputs, outputs = tmp_path / "inputs.jsonl", tmp_path / f"batch{batch_size}.jsonl"
    inputs.write_text("".join(json.dumps(item) + "\n" for item in INPUTS), encoding="utf-8")
    allennlp(
        monkeypatch, "predict", str(archive), str(inputs), "--predictor", "stsn",
        "--output-file", str(outputs), "--batch-size", str(batch_size), "--silent",
    )  # fmt: skip
    return read_lines(outputs)


def as_lines(records: list[dict]) -> list[dict]:
    """The lines `allennlp predict` writes for these records of the input file's lines."""
    return [
        line
        for number, record in enumerate(records, start=1)
        for line in output_lines({"line": number, **record})
    ]


def test_started_by_the_readme_command_it_answers_as_allennlp_predict_and_restarts(
    eager_archive, monkeypatch, tmp_path
):
    process = ServerProcess(eager_archive, tmp_path / "server.log", cwd=REPO_ROOT)
    try:
        process.start()
        assert listening_addresses(process.port) == {"0100007F"}  # 127.0.0.1 only
        alone = [process.post("/predict", item) for item in INPUTS]
        together = process.post("/predict", INPUTS)
        assert all(response.status_code == 200 for response in [*alone, together])
        assert as_lines([response.json() for response in alone]) == predict_file(
            monkeypatch, tmp_path, eager_archive, batch_size=1
        )
        assert as_lines(together.json()) == predict_file(
            monkeypatch, tmp_path, eager_archive, batch_size=len(INPUTS)
        )
        assert sum(len(line["entities"]) for line in as_lines(together.json())) > 10

        assert process.signal(signal.SIGKILL) == -signal.SIGKILL
        process.command += ["--workers", "2"]  # restarted on the same port, free again
        restarted = process.start().post("/predict", INPUTS[0])
        assert restarted.json() == alone[0].json()
        assert "Started parent process" in process.log.read_text()  # uvicorn's supervisor
        # SIGTERM: the workers shut down, then their supervisor exits; none is left behind (the
        # helper multiprocessing starts ignores SIGTERM and leaves when its pipe closes)
        assert process.signal(signal.SIGTERM) == 0
        assert not group_alive(process.pid, wait=60)
    finally:
        process.stop()


def test_a_missing_archive_ends_the_command_with_a_message(tmp_path, capsys):
    assert main([str(tmp_path / "missing.tar.gz")]) == 1
    assert "missing.tar.gz: no such model archive" in capsys.readouterr().err
