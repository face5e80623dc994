"""The core, and the commands built on it alone, run without torch and AllenNLP (as the lint
contract of `pyproject.toml` states): each is imported in a fresh interpreter."""

import json
import pkgutil
import subprocess
import sys

import pytest

import stsn_allennlp.core

HEAVY = ("torch", "allennlp", "transformers", "spacy")
CORE_MODULES = [
    f"stsn_allennlp.core.{module.name}"
    for module in pkgutil.iter_modules(stsn_allennlp.core.__path__)
]


def _heavy_modules_after_importing(module: str) -> list[str]:
    script = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        f"print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_the_core_holds_the_modules_it_documents():
    assert {"stsn_allennlp.core.spans", "stsn_allennlp.core.scoring"} <= set(CORE_MODULES)


@pytest.mark.parametrize(
    "module",
    [
        "stsn_allennlp",
        *CORE_MODULES,
        "stsn_allennlp.commands.evaluate",
        "stsn_allennlp.commands.visualize",
        "stsn_allennlp.evaluate",
        "stsn_allennlp.visualize.__main__",
    ],
)
def test_imports_neither_torch_nor_allennlp(module):
    assert _heavy_modules_after_importing(module) == []


def test_the_registering_module_does_import_allennlp():
    """The check can fail: the components' module loads what the core must not."""
    assert set(_heavy_modules_after_importing("stsn_allennlp.components")) >= {"torch", "allennlp"}
