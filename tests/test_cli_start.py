"""Starting the command: what a user waits for before the first result.

spaCy's thinc imports PyTorch whenever it is installed (the test and train extras
install it), which cost about two seconds on every start; the console command keeps it
out of everything but `onrecord train`.  A program importing onrecord as a library is
left alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write("
    "'torch loaded: %s\\n' % (sys.modules.get('torch') is not None)))\n"
    "sys.argv = ['onrecord', *sys.argv[1:]]\n"
    "from onrecord.cli import main\n"
    "main()\n"
)


def run_command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True
    )


def torch_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


@pytest.mark.skipif(not torch_installed(), reason="PyTorch is not installed")
def test_extract_runs_without_loading_torch():
    done = run_command("extract", "examples/port-strike.txt", "--format", "jsonl", "--quiet")
    assert done.returncode == 0, done.stderr
    assert '"statements"' in done.stdout
    assert done.stderr.splitlines()[-1] == "torch loaded: False"


@pytest.mark.skipif(not torch_installed(), reason="PyTorch is not installed")
def test_a_library_user_keeps_torch():
    code = "import torch, onrecord\nfrom onrecord.pipeline import Extractor\nprint(torch.__name__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "torch", done.stderr
