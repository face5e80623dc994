.PHONY: setup demo test

setup:
	@bash scripts/setup.sh

demo: setup
	@bash scripts/demo.sh

test: setup
	@HF_HUB_OFFLINE=1 .venv/bin/python -m pytest -q tests
