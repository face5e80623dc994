#!/usr/bin/env bash
# One set-up path for users and CI: a virtual environment with the measured dependency stack
# (../shared/stack), allennlp and allennlp-models without their unresolvable pins, and this package
# in editable mode. Idempotent: a second run with unchanged requirements does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
VENV=.venv
STAMP=$VENV/.stsn-installed
WANTED=$(cat requirements.txt requirements-nodeps.txt pyproject.toml scripts/stsn_quiet_startup.pth | sha256sum | cut -d' ' -f1)

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANTED" ]; then
  exit 0
fi

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r requirements.txt
"$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r requirements-nodeps.txt
# allennlp-models' narrativeqa module calls nltk.download("punkt") at import unless this folder exists.
mkdir -p "$VENV/nltk_data/tokenizers/punkt"
"$VENV/bin/pip" install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
# The libraries' start-up warnings and plugin notices off the console (see the file).
cp scripts/stsn_quiet_startup.pth "$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/"

# Without setuptools<81 allennlp-models silently registers none of its models: fail loudly instead.
STSN_VERBOSE=1 HF_HUB_OFFLINE=1 "$VENV/bin/allennlp" test-install > "$VENV/test-install.log" 2>&1 || true
if ! grep -q "Plugin allennlp_models available" "$VENV/test-install.log" \
    || ! grep -q "Plugin stsn_allennlp.components available" "$VENV/test-install.log"; then
  echo "setup: 'allennlp test-install' did not load allennlp_models and stsn_allennlp.components; see $VENV/test-install.log" >&2
  exit 1
fi
echo "$WANTED" > "$STAMP"
echo "setup: environment ready in $VENV"
