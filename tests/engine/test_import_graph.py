"""The engine's modules depend on each other in one direction: no import cycle, counting the
imports made only for type checking (a cycle hidden behind ``TYPE_CHECKING`` is still one)."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import custom_components.rep_coach.engine as engine_package

ENGINE = Path(engine_package.__file__).parent
PACKAGE = "custom_components.rep_coach.engine"


def _module_name(path: Path) -> str:
    return "__init__" if path.stem == "__init__" else path.stem


def _targets(node: ast.Import | ast.ImportFrom, modules: set[str]) -> set[str]:
    """The engine modules one import statement (anywhere in a file) loads."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif node.level == 1:
        base = node.module
        if base is None:  # from . import a, b: submodules, or names of the package itself
            return {alias.name if alias.name in modules else "__init__" for alias in node.names}
        names = [f"{PACKAGE}.{base}"]
    elif node.level == 0 and node.module is not None:
        names = [node.module]
    else:  # from .. import: outside the engine
        return set()
    found: set[str] = set()
    for name in names:
        if name == PACKAGE:
            found.add("__init__")
        elif name.startswith(f"{PACKAGE}."):
            found.add(name.removeprefix(f"{PACKAGE}.").split(".")[0])
    return found


def import_graph(folder: Path) -> dict[str, set[str]]:
    """Each module of the package in ``folder`` and the package modules it imports."""
    paths = sorted(folder.glob("*.py"))
    modules = {_module_name(path) for path in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = (node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom))
        graph[_module_name(path)] = set().union(*(_targets(node, modules) for node in imports))
    return graph


def test_engine_modules_import_each_other_without_a_cycle() -> None:
    graph = import_graph(ENGINE)
    assert {"core", "report", "persistence", "snapshot", "session"} <= graph.keys()
    TopologicalSorter(graph).prepare()  # raises CycleError on any cycle


def test_a_cycle_behind_type_checking_is_found(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "core.py").write_text("from . import report\n")
    (tmp_path / "report.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .core import RepEngine\n"
    )
    graph = import_graph(tmp_path)
    assert graph["report"] == {"core"}
    with pytest.raises(CycleError):
        TopologicalSorter(graph).prepare()
