"""The house plan holds: data flows one way through onrecord's packages.

Each package sits on a layer; a module may import from its own package and from any
lower layer, never from a higher one or a sibling on its layer (``training`` and
``eval`` sit beside the runtime: training may use eval, nothing at run time uses
either).  The test reads every module's imports (also those inside functions: a lazy
import is still a dependency), so the layering cannot quietly erode.

    records, errors, names,          what every stage shares: typed records, one-line errors,
    processes                        name rules, helper processes
    nlp                              text -> spaCy Doc
    ingest                           sources -> Article
    attribution                      Doc -> spans (speaker, cue, content)
    enrich                           spans -> Statement (name, role, channel, relay, time)
    pipeline, output                 Article -> ArticleResult; writing results
    store                            ArticleResult -> the statement database
    search                           the database -> views
    eval                             gold -> scores (beside the runtime)
    training                         gold -> weights (beside the runtime; may use eval)
    web, cli                         the surfaces
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "onrecord"

LAYERS = [
    {"records", "errors", "names", "processes"},
    {"nlp"},
    {"ingest"},
    {"attribution"},
    {"enrich"},
    {"pipeline", "output"},
    {"store"},
    {"search"},
    {"eval"},
    {"training"},
    {"web"},
    {"cli"},
]
LEVEL = {name: i for i, layer in enumerate(LAYERS) for name in layer}
# The package root (`onrecord/__init__.py`: extract(), __version__) is the library's
# front door: it may use the pipeline, and the surfaces may read its version.
ROOT = "__init__"
LEVEL[ROOT] = LEVEL["pipeline"] + 0.5
# What the runtime must never import, whatever the layers say.
BESIDE_THE_RUNTIME = {"eval", "training"}
RUNTIME = {name for name in LEVEL if name not in BESIDE_THE_RUNTIME | {"cli"}}


def part_of(module: str) -> str:
    """The first-level part of ``onrecord.a.b`` ('a'; the root for 'onrecord')."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT


def imports_of(path: Path) -> set[str]:
    """The onrecord modules ``path`` imports, resolved to absolute names."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    here = list(rel.parts)
    package = here[:-1]  # what a relative import counts from, for a module or an __init__
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("onrecord"):
                continue
            if node.module is None or target == "onrecord":
                # `from .. import nlp`: the names are modules (or the root's own names).
                for alias in node.names:
                    name = f"{target}.{alias.name}"
                    found.add(name if part_of(name) in LEVEL else target)
            else:
                found.add(target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("onrecord"))
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def owner(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    return rel.parts[0] if len(rel.parts) > 1 or rel.parts[0] != "__init__" else ROOT


def test_every_part_of_the_package_has_a_layer():
    unplaced = {owner(p) for p in modules()} - set(LEVEL)
    assert unplaced == set(), f"give these a layer in LAYERS: {sorted(unplaced)}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_its_own_package_and_lower_layers(path):
    mine = owner(path)
    wrong = []
    for target in sorted(imports_of(path)):
        theirs = part_of(target)
        if theirs == mine:
            continue
        if mine in RUNTIME and theirs in BESIDE_THE_RUNTIME:
            wrong.append(f"{target} (the runtime never imports {theirs})")
        elif LEVEL.get(theirs, -1) >= LEVEL[mine] and not (mine == "training" and theirs == "eval"):
            wrong.append(f"{target} ({theirs} is not below {mine})")
    assert wrong == [], f"{path.relative_to(PACKAGE)} imports " + "; ".join(wrong)


def test_there_is_no_import_circle_between_modules():
    """Within a package too: a circle makes the order of imports matter."""
    graph = {}
    for path in modules():
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.parts[-1] == "__init__" else rel.parts)
        graph[name] = {t for t in imports_of(path) if t != name}
    known = set(graph)
    for name in graph:
        # `from .x import y` where x is a package: the edge goes to its __init__.
        graph[name] = {t if t in known else t.rsplit(".", 1)[0] for t in graph[name]} & known

    def parents(name: str) -> set[str]:
        """A module imports its packages' __init__ first: those edges are implied."""
        parts = name.split(".")
        return {".".join(parts[:i]) for i in range(1, len(parts))}

    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node] - parents(node)):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for name in sorted(graph):
        if name not in state:
            circle = visit(name)
            assert circle is None, "import circle: " + " -> ".join(circle)
