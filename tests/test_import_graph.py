"""The import graph of the project's own packages has no cycles: none between modules of different apps, and none
inside an app unless ``ALLOWED_CYCLES`` names it with a reason. Imports inside functions count: they hide an edge
from Python's import machinery, not from the design (grimp, import-linter's graph library, reads them all).

The layers themselves (which app may import which) are import-linter's contract in pyproject.toml (``lint-imports``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["root_packages"]

# Cycles inside one app that are accepted, each as the frozenset of its modules with the reason. A cycle that is
# broken must leave this table too (the last test says so).
ALLOWED_CYCLES: dict[frozenset[str], str] = {
    frozenset(
        {
            "reporting.services.batches",
            "reporting.services.corrections",
            "reporting.services.imports",
            "reporting.tasks",
        }
    ): (
        "Celery: a service enqueues, on commit, the task that runs it, and the task is only the entry point that calls "
        "the service back. Enqueueing by name (send_task) would drop the in-process eager mode the demo and the "
        "tests run in"
    ),
}


def _app(module: str) -> str:
    return module.split(".", 1)[0]


def strongly_connected(graph: grimp.ImportGraph) -> list[set[str]]:
    """The groups of modules that all reach each other (Tarjan's algorithm, iterative), of two modules or more."""
    modules = sorted(graph.modules)
    successors = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(successors[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, include_external_packages=False, cache_dir=None)


def test_the_graph_reads_imports_inside_functions(graph):
    # reporting.tasks imports the corrections service inside deliver_corrections: if grimp skipped function bodies,
    # every test below would pass on a graph with holes.
    assert graph.direct_import_exists(importer="reporting.tasks", imported="reporting.services.corrections")


def test_no_import_cycle_between_apps(graph):
    crossing = [sorted(c) for c in strongly_connected(graph) if len({_app(m) for m in c}) > 1]
    assert not crossing, f"modules of different apps import each other in a circle: {crossing}"


def test_no_import_cycle_inside_an_app_unless_allowed(graph):
    cycles = {frozenset(c) for c in strongly_connected(graph) if len({_app(m) for m in c}) == 1}
    unexpected = [sorted(c) for c in cycles - set(ALLOWED_CYCLES)]
    assert not unexpected, f"import cycles inside an app (break them, or name them in ALLOWED_CYCLES): {unexpected}"
    stale = [sorted(c) for c in set(ALLOWED_CYCLES) - cycles]
    assert not stale, f"ALLOWED_CYCLES names cycles that no longer exist: {stale}"


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("a", "a.one", "a.two", "a.three", "b"):
        graph.add_module(module)
    graph.add_import(importer="a.one", imported="a.two")
    graph.add_import(importer="a.two", imported="a.three")
    graph.add_import(importer="a.three", imported="a.one")
    graph.add_import(importer="a.three", imported="b")
    assert strongly_connected(graph) == [{"a.one", "a.two", "a.three"}]
