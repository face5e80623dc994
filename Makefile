.PHONY: setup demo test lint

setup:
	@bash scripts/setup.sh

demo: setup
	@bash scripts/demo.sh

test: setup
	@HF_HUB_OFFLINE=1 .venv/bin/python -m pytest -q tests

# ruff (format and lint) over the repository, mypy over the package; configured in pyproject.toml
lint: setup
	@.venv/bin/ruff format --check .
	@.venv/bin/ruff check .
	@.venv/bin/mypy
