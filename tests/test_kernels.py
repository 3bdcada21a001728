"""A notebook's kernel forked from the warm server is a kernel as Jupyter starts one.

`hooks/kernels.py` forks each notebook's kernel from a worker of a warm
server; COLD_KERNELS=1 starts it as a new interpreter, as Jupyter does. The
same probe notebook, built both ways with the site's hooks, must see the
same kernel but for the libraries imported in advance.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hooks"))
import codeblocks as cb
import kernels
import prerun
from test_regressions import hooks_copy, output, package_copy, use_hooks

PROBE = """\
import json, os, sys
preloaded = "torch" in sys.modules
import matplotlib
import numpy
import torch  # the server imports PyTorch for notebooks that import it
print("PROBE" + json.dumps({
    "preloaded": preloaded,
    "draw": int(numpy.random.randint(2**31)),  # unseeded: each kernel its own
    "environment": sorted(k for k in os.environ if k.startswith(("TORCH", "JPY"))),
    "project": sorted(m for m in sys.modules if m.startswith("activation_tutorial")),
    "hooks": sorted(m for m in ("build", "prerun", "kernels") if m in sys.modules),
    "session_leader": os.getsid(0) == os.getpid(),
    "told_its_parent": os.environ.get("JPY_PARENT_PID") == str(os.getppid()),
    "backend": matplotlib.get_backend(),
    "argv0": os.path.basename(sys.argv[0]),
    "cwd": os.getcwd(),
    "path": sys.path[:2],
    "stdin": sys.stdin is None or not sys.stdin.isatty(),
    "threads": os.environ.get("OMP_NUM_THREADS"),
}))
"""


def _probe(tmp_path: Path, cold: bool) -> dict:
    hooks = hooks_copy(tmp_path)
    package_copy(tmp_path)
    config = cb.small_site(
        tmp_path,
        {
            "notebooks/probe.py": cb.notebook(PROBE),
            # (not the same text: the cache would serve one notebook's output)
            "notebooks/again.py": cb.notebook(PROBE, "again = True"),
        },
        jupyter=True,
    )
    use_hooks(config, hooks / "build.py", hooks / "checks.py")
    env = {
        "PYTHONPATH": str(tmp_path / "src"),
        "COLD_KERNELS": "1" if cold else "",
        # as outside the tests (conftest.py sets Agg): the kernel chooses
        "MPLBACKEND": "",
    }
    proc = cb.build(config, env=env)
    assert proc.returncode == 0, output(proc)
    probes = []
    for page in ("probe", "again"):
        html = (tmp_path / "site" / "notebooks" / page / "index.html").read_text()
        found = re.search(r"PROBE(\{.*?\})\s*$", html.replace("&quot;", '"'), re.M)
        assert found, f"the probe printed nothing on {page}"
        probes.append(json.loads(found.group(1)))
    first, again = probes
    # numpy's unseeded draws differ from one kernel to the next
    assert first.pop("draw") != again.pop("draw")
    assert {k: v for k, v in first.items() if k not in ("cwd", "path")} == {
        k: v for k, v in again.items() if k not in ("cwd", "path")
    }
    return first


@pytest.mark.slow
def test_a_forked_kernel_is_the_kernel_jupyter_would_start(tmp_path):
    warm = _probe(tmp_path / "warm", cold=False)
    cold = _probe(tmp_path / "cold", cold=True)

    # the point of it: PyTorch is imported already
    assert warm.pop("preloaded") is True
    assert cold.pop("preloaded") is False
    # the rest as Jupyter's own kernel has it: nothing of the project or
    # the hooks, a session of its own, its parent told, matplotlib's inline
    # backend, its own folder and path (in a folder of each build's own)
    for probe in (warm, cold):
        probe["cwd"] = probe["cwd"].replace(str(tmp_path), "<tmp>")
        probe["path"] = [p.replace(str(tmp_path), "<tmp>") for p in probe["path"]]
    warm_path = [p.replace("<tmp>/warm", "<build>") for p in warm.pop("path")]
    cold_path = [p.replace("<tmp>/cold", "<build>") for p in cold.pop("path")]
    assert warm_path == cold_path
    assert warm.pop("cwd").replace("<tmp>/warm", "") == cold.pop("cwd").replace(
        "<tmp>/cold", ""
    )
    assert warm == cold
    assert warm["project"] == []
    assert warm["hooks"] == []
    assert warm["session_leader"] and warm["told_its_parent"]
    assert "inline" in warm["backend"]


def test_the_server_imports_pytorch_only_for_notebooks_that_import_it(tmp_path):
    plain = tmp_path / "plain.py"
    plain.write_text(cb.notebook("import math\nprint(math.pi)"), encoding="utf-8")
    direct = tmp_path / "direct.py"
    direct.write_text(cb.notebook("import torch"), encoding="utf-8")
    # through the package, which imports PyTorch itself
    package = tmp_path / "package.py"
    package.write_text(
        cb.notebook("from activation_tutorial import facts"), encoding="utf-8"
    )
    broken = tmp_path / "broken.py"
    broken.write_text(cb.notebook("import torch\nprint(("), encoding="utf-8")

    def preloaded(*paths: Path) -> list[str]:
        return kernels.preload(prerun._libraries([str(p) for p in paths]))

    assert "torch" not in preloaded(plain)
    assert "nbclient" in preloaded(plain)  # the workers convert with it
    for notebook in (direct, package):
        assert "torch._dynamo" in preloaded(plain, notebook)
    # a notebook that cannot be read fails by itself; the others still count
    assert "torch" not in preloaded(broken)
    assert "torch" in preloaded(broken, direct)
