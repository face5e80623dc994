.PHONY: setup demo test lint

setup:
	@bash scripts/setup.sh

demo: setup
	@bash scripts/demo.sh

test: setup
	@HF_HUB_OFFLINE=1 .venv/bin/python -m pytest -q tests

# ruff (format and lint) over the repository, mypy over the package, import-linter's contracts
# (the plain-Python core); configured in pyproject.toml. lint-imports runs --verbose: its quiet mode
# nests two rich live displays, which the pinned rich 13.9.4 refuses
lint: setup
	@.venv/bin/ruff format --check .
	@.venv/bin/ruff check .
	@.venv/bin/mypy
	@.venv/bin/lint-imports --no-logo --verbose
