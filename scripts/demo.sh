#!/usr/bin/env bash
# The main job on the shipped fixture data, on CPU: train STSN, evaluate it, predict on raw text.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1
RUN=${1:-runs/demo}
ALLENNLP=.venv/bin/allennlp

$ALLENNLP train fixtures/stsn_fixture.jsonnet -s "$RUN" --force
$ALLENNLP evaluate "$RUN/model.tar.gz" fixtures/data/spert_dev.json --output-file "$RUN/dev_metrics.json"
$ALLENNLP predict "$RUN/model.tar.gz" fixtures/data/raw_text.jsonl --predictor stsn \
  --output-file "$RUN/predictions.jsonl" --silent

echo
.venv/bin/python -c "
import json, sys
metrics = json.load(open(sys.argv[1]))
print('dev scores (micro F1, %):', ', '.join(f'{k} {metrics[k + \"_f1_micro\"]:.1f}' for k in ('ner', 're', 're_plus')))
" "$RUN/dev_metrics.json"
echo
echo "Predictions on raw text (fixtures/data/raw_text.jsonl):"
.venv/bin/python scripts/show_predictions.py "$RUN/predictions.jsonl"
echo
echo "model archive: $RUN/model.tar.gz"
echo "dev metrics:   $RUN/dev_metrics.json"
echo "predictions:   $RUN/predictions.jsonl"
