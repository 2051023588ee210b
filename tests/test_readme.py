"""What README.md shows is what happens.

Every ```console block of the README is a session: lines starting with ``$ `` are
commands, the lines after each are what it prints (stdout and stderr, as a terminal
shows them).  The test runs each session in a fresh folder holding a copy of
``examples/``, with the terminal 100 columns wide, and compares what comes out line by
line (trailing spaces aside).  A line ``[...]`` in the README stands for any number of
lines, so that a long output can be shown in part.

Every other ``onrecord ...`` line in the README's code blocks must name a real command
and only options that command takes, so that no example goes stale.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
ONRECORD_BIN = Path(sys.executable).parent
WIDTH = "120"
ANY = "[...]"


def code_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(info string, lines) of every fenced block."""
    blocks, info, lines = [], None, []
    for line in text.splitlines():
        if line.startswith("```"):
            if info is None:
                info, lines = line[3:].strip(), []
            else:
                blocks.append((info, lines))
                info = None
        elif info is not None:
            lines.append(line)
    return blocks


def sessions() -> list[list[tuple[str, list[str]]]]:
    """Each console block as [(command, expected lines)]."""
    out = []
    for info, lines in code_blocks(README.read_text(encoding="utf-8")):
        if info != "console":
            continue
        steps: list[tuple[str, list[str]]] = []
        for line in lines:
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
        out.append(steps)
    return out


def matches(expected: list[str], got: list[str]) -> bool:
    """``got`` line for line, where ``[...]`` in ``expected`` takes any run of lines."""
    expected = [e.rstrip() for e in expected]
    got = [g.rstrip() for g in got]

    def walk(i: int, j: int) -> bool:
        if i == len(expected):
            return j == len(got)
        if expected[i] == ANY:
            return any(walk(i + 1, k) for k in range(j, len(got) + 1))
        return j < len(got) and expected[i] == got[j] and walk(i + 1, j + 1)

    return walk(0, 0)


def test_the_readme_has_sessions_to_check():
    found = sessions()
    assert len(found) >= 2
    assert all(steps for steps in found)


@pytest.mark.parametrize("number", range(len(sessions())), ids=lambda n: f"session{n + 1}")
def test_a_readme_session_prints_what_the_readme_shows(number, tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {
        **os.environ,
        "PATH": f"{ONRECORD_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": WIDTH,
        "XDG_DATA_HOME": str(tmp_path / "data"),  # the default database, in here
        "NO_COLOR": "1",
    }
    env.pop("ONRECORD_DB", None)
    for command, expected in sessions()[number]:
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
        )
        got = done.stdout.splitlines()
        assert matches(expected, got), (
            f"$ {command}\n--- the README shows:\n"
            + "\n".join(expected)
            + "\n--- it printed:\n"
            + done.stdout
        )


def commands_shown() -> list[list[str]]:
    """Every `onrecord ...` command line in any code block, as words."""
    found = []
    for info, lines in code_blocks(README.read_text(encoding="utf-8")):
        if info not in ("", "console", "sh", "bash"):
            continue  # Python, the JSON record
        for line in lines:
            line = line.removeprefix("$ ")
            if "onrecord " not in line:
                continue
            for part in re.split(r"\||&&|;", line):
                words = shlex.split(part, comments=True)
                starts = [i for i, w in enumerate(words) if w.endswith("onrecord")]
                if starts:  # after any VAR=value or $(...) before the command
                    found.append(["onrecord", *words[starts[0] + 1 :]])
    return found


def test_every_command_the_readme_shows_exists_with_those_options():
    from typer.main import get_command

    from onrecord.cli import _register, app

    _register()
    root = get_command(app)
    shown = commands_shown()
    assert len(shown) >= 10
    for words in shown:
        if len(words) == 1 or words[1].startswith("-"):
            continue
        command = root.commands.get(words[1])
        assert command is not None, f"no command `{words[1]}`: {' '.join(words)}"
        options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
        for word in words[2:]:
            if word.startswith("--"):
                name = word.split("=", 1)[0]
                assert name in options, f"`onrecord {words[1]}` has no {name}: {' '.join(words)}"
