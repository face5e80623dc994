#!/usr/bin/env bash
# The main job on the shipped fixture data, on CPU: train STSN, evaluate it, predict on raw text.
# The terminal gets one line per epoch and the summaries; the full logs go to the run folder.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1
RUN=${1:-runs/demo}
ALLENNLP=.venv/bin/allennlp
PYTHON=.venv/bin/python

# Prints the end of a failed step's log and stops.
failed() {
  echo "$1 failed; the end of its log ($2):" >&2
  tail -n 40 "$2" >&2
  exit 1
}

echo "Training STSN on the fixture data (fixtures/stsn_fixture.jsonnet: tiny BERT, 40 epochs, CPU)"
# The command's own console: one line per epoch, then the kept scores and its files (the full
# log is the run folder's out.log). Its stderr (the libraries' start-up warnings) goes to a log;
# `--force` empties the run folder first, so that log is written beside it and moved in.
mkdir -p "$(dirname "$RUN")"
stderr_log="$RUN.stderr.log"
$ALLENNLP train fixtures/stsn_fixture.jsonnet -s "$RUN" --force 2> "$stderr_log" \
  || failed "training" "$stderr_log"
mv "$stderr_log" "$RUN/train_stderr.log"

echo "Evaluating on fixtures/data/spert_dev.json and predicting on raw text"
$ALLENNLP evaluate "$RUN/model.tar.gz" fixtures/data/spert_dev.json \
  --output-file "$RUN/dev_metrics.json" > "$RUN/evaluate.log" 2>&1 \
  || failed "evaluation" "$RUN/evaluate.log"
$ALLENNLP predict "$RUN/model.tar.gz" fixtures/data/raw_text.jsonl --predictor stsn \
  --output-file "$RUN/predictions.jsonl" --silent > "$RUN/predict.log" 2>&1 \
  || failed "prediction" "$RUN/predict.log"

echo
$PYTHON -c "
import json, sys
metrics = json.load(open(sys.argv[1]))
print('dev scores (micro F1, %):', ', '.join(f'{k} {metrics[k + \"_f1_micro\"]:.1f}' for k in ('ner', 're', 're_plus')))
" "$RUN/dev_metrics.json"
echo
echo "Predictions on raw text (fixtures/data/raw_text.jsonl):"
$PYTHON scripts/show_predictions.py "$RUN/predictions.jsonl"
echo
echo "model archive: $RUN/model.tar.gz"
echo "dev metrics:   $RUN/dev_metrics.json (every score; allennlp evaluate's keys)"
echo "predictions:   $RUN/predictions.jsonl"
echo "logs:          $RUN/out.log (training), $RUN/evaluate.log, $RUN/predict.log"
