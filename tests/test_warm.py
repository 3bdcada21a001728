"""A process forked from the warm interpreter behaves like a new interpreter."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import warm

# with TESTS_COLD_START=1 the same tests check new interpreters
WARM = not os.environ.get("TESTS_COLD_START")

SCRIPT = """\
import atexit, json, os, sys
atexit.register(lambda: print("atexit ran"))
print(json.dumps({
    "argv": sys.argv,
    "cwd": os.getcwd(),
    "env": os.environ.get("WARM_PROBE"),
    "path": sys.path[:2],
    "project_loaded": [m for m in sys.modules if m.startswith("activation_tutorial")],
    "preloaded": "torch" in sys.modules,
}))
print("to stderr", file=sys.stderr)
sys.exit(int(sys.argv[1]))
"""


def test_a_child_gets_its_own_arguments_folder_environment_and_path(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(SCRIPT, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    env = {"WARM_PROBE": "yes", "PYTHONPATH": str(tmp_path / "extra")}
    proc = warm.run([str(script), "3"], cwd=work, env=env)
    assert proc.returncode == 3
    first, last = proc.stdout.splitlines()
    seen = json.loads(first)
    assert seen["argv"] == [str(script), "3"]
    assert seen["cwd"] == str(work)
    assert seen["env"] == "yes"
    # as in a new interpreter: the script's folder, then PYTHONPATH
    assert seen["path"] == [str(tmp_path), str(tmp_path / "extra")]
    # the libraries come imported; the project never does
    assert seen["preloaded"] is WARM
    assert seen["project_loaded"] == []
    assert last == "atexit ran"
    assert proc.stderr == "to stderr\n"


def test_an_uncaught_exception_prints_its_traceback_and_exits_1(tmp_path):
    script = tmp_path / "boom.py"
    script.write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    proc = warm.run([str(script)], cwd=tmp_path, env={})
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr
    assert "RuntimeError: boom" in proc.stderr


def test_a_module_runs_as_main_from_the_working_folder(tmp_path):
    # `python -m probe_module 5`: found in the working folder, as -m finds it
    module = tmp_path / "probe_module.py"
    module.write_text(
        "import sys\n"
        "if __name__ == '__main__':\n"
        "    print(sys.argv[0])\n"
        "    sys.exit(int(sys.argv[1]))\n",
        encoding="utf-8",
    )
    proc = warm.run(["-m", "probe_module", "5"], cwd=tmp_path, env={}, timeout=60)
    assert proc.returncode == 5
    assert proc.stdout == f"{module}\n"


def test_a_kernel_is_forked_fresh_in_a_session_of_its_own(tmp_path):
    import codeblocks as cb

    cell = (
        "import json, os, sys\n"
        "print(json.dumps({'leader': os.getpgid(0) == os.getpid(), "
        "'cwd': os.getcwd(), 'torch': 'torch' in sys.modules, "
        "'project': [m for m in sys.modules if m.startswith('activation_tutorial')]}))"
    )
    first, second = cb.run_notebook_cells([cell, "x = 1\nx + 1"], tmp_path)
    seen = json.loads(first["stdout"])
    assert seen == {"leader": True, "cwd": str(tmp_path), "torch": WARM, "project": []}
    assert second["result"] == "2"
