"""Turn the console output of `allennlp train` into one line per epoch, keeping all of it in a log.

    allennlp train CONFIG -s RUN_DIR ... 2>&1 | python scripts/epoch_progress.py RUN_DIR LOG_FILE

Every line read (AllenNLP's INFO logs, warnings, progress bars) goes to LOG_FILE. When AllenNLP
logs the end of an epoch ("Epoch duration: ..."), the epoch's `metrics_epoch_{N}.json` is in
RUN_DIR, and one line is printed from it: the training loss and, when there is validation data,
the validation loss and micro F1 of NER, RE and RE+. Plain Python, no AllenNLP import.
"""

import json
import re
import sys
from pathlib import Path

EPOCH_START = re.compile(r" - Epoch (\d+)/(\d+)$")
EPOCH_END = re.compile(r" - Epoch duration: (\S+)$")
HEADLINE = (("NER", "ner_f1_micro"), ("RE", "re_f1_micro"), ("RE+", "re_plus_f1_micro"))


def summary(metrics: dict, last_epoch: int, duration: str) -> str:
    """One epoch as one line."""
    line = f"epoch {metrics['epoch'] + 1:>3}/{last_epoch + 1}"
    line += f"  train loss {metrics['training_loss']:.3f}"
    if "validation_loss" in metrics:
        scores = "  ".join(f"{name} {metrics['validation_' + key]:5.1f}" for name, key in HEADLINE)
        line += f"  dev loss {metrics['validation_loss']:.3f}  dev F1 {scores}"
    return f"{line}  ({duration.split('.')[0]})"


def main(run_dir: Path, log_file: Path) -> int:
    last_epoch = epoch = 0
    with open(log_file, "w") as log:
        for line in sys.stdin:
            log.write(line)
            log.flush()
            line = line.rstrip("\n")
            started = EPOCH_START.search(line)
            if started:
                epoch, last_epoch = int(started.group(1)), int(started.group(2))
            ended = EPOCH_END.search(line)
            metrics_file = run_dir / f"metrics_epoch_{epoch}.json"
            if ended and metrics_file.exists():
                metrics = json.loads(metrics_file.read_text())
                print(summary(metrics, last_epoch, ended.group(1)), flush=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
