"""Small modules, short functions: no module over 600 lines, no function over 80.

A module or function may be longer when a comment says why: a line ``# long: <why>``
among a module's first lines, or directly above (or on) a function's ``def``.  The test
fails on anything longer without one, and on a ``# long:`` that no longer needs saying.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "onrecord"
MAX_MODULE = 600
MAX_FUNCTION = 80
REASON = "# long:"


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _explained(lines: list[str], def_line: int) -> bool:
    """A ``# long:`` comment on the def line, or among the comments and decorators
    right above it (``def_line`` counts from 1)."""
    if REASON in lines[def_line - 1]:
        return True
    k = def_line - 2
    while k >= 0 and lines[k].strip().startswith(("#", "@")):
        if lines[k].strip().startswith(REASON):
            return True
        k -= 1
    return False


def long_functions(path: Path) -> list[tuple[str, int, bool]]:
    """(name, length in lines, explained) of every function over the limit."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = node.end_lineno - first + 1
            if length > MAX_FUNCTION:
                out.append((node.name, length, _explained(lines, node.lineno)))
    return out


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_functions_are_short_or_say_why(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    module_explained = any(line.startswith(REASON) for line in lines[:40])
    if len(lines) > MAX_MODULE:
        assert module_explained, f"{len(lines)} lines: split it, or say why with '{REASON}'"
    else:
        assert not module_explained, f"{len(lines)} lines: the '{REASON}' comment can go"
    unexplained = [f"{name} ({n} lines)" for name, n, ok in long_functions(path) if not ok]
    assert unexplained == [], f"functions over {MAX_FUNCTION} lines: {', '.join(unexplained)}"


def test_a_long_function_is_found_and_a_reason_accepted(tmp_path):
    body = "".join(f"    x{k} = {k}\n" for k in range(MAX_FUNCTION))
    path = tmp_path / "m.py"
    path.write_text(f"def plain():\n{body}\n\n# long: a table of cases\ndef said():\n{body}")
    assert long_functions(path) == [
        ("plain", MAX_FUNCTION + 1, False),
        ("said", MAX_FUNCTION + 1, True),
    ]
