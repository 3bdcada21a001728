"""The command line: what it prints, what it writes, and how it refuses bad input.

Bad input exits with status 2 and one line on stderr that names the problem
(and, for an activation, the valid names); never a traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import torch

from activation_tutorial import cli
from activation_tutorial.activations import names

VALID = names()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_list_prints_every_registry_entry(capsys):
    code, out, err = run(capsys, "list")
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list(VALID)


def test_train_prints_one_fixed_line_per_interval(capsys):
    code, out, err = run(
        capsys,
        "train",
        "--epochs",
        "4",
        "--log-every",
        "2",
        "--activation",
        "tanh",
        "--device",
        "cpu",
    )
    assert code == 0, err
    lines = out.splitlines()
    assert [ln.split("  ")[0] for ln in lines[:-1]] == ["epoch 2/4", "epoch 4/4"]
    assert all(re.fullmatch(r"epoch \d/4  loss \d+\.\d{6}", ln) for ln in lines[:-1])
    assert lines[-1].startswith("done: activation=tanh seed=0 parameters=621")


def test_train_json_has_the_documented_keys(capsys):
    code, out, err = run(
        capsys,
        "train",
        "--json",
        "--epochs",
        "3",
        "--batch-size",
        "20",
        "--samples",
        "60",
        "--lr",
        "0.01",
        "--seed",
        "4",
        "--device",
        "cpu",
    )
    assert code == 0, err
    result = json.loads(out)
    for key in ("activation", "seed", "parameters", "epoch_losses", "batch_losses"):
        assert key in result
    assert result["seed"] == 4
    assert result["parameters"] == 621
    assert (result["epochs"], result["batch_size"], result["samples"]) == (3, 20, 60)
    assert result["lr"] == 0.01
    assert len(result["epoch_losses"]) == 3
    assert len(result["batch_losses"]) == 3 * 3


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_plot_writes_the_figure(capsys, tmp_path, suffix):
    target = tmp_path / f"relu{suffix}"
    code, out, err = run(capsys, "plot", "relu", "--output", str(target))
    assert code == 0, err
    data = target.read_bytes()
    if suffix == ".svg":
        assert b"<svg" in data[:500]
    else:
        assert data.startswith(b"\x89PNG")
    assert str(target) in out


def test_plot_svg_is_the_same_twice(capsys, tmp_path):
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    run(capsys, "plot", "sigmoid", "-o", str(a), "--theme", "dark")
    run(capsys, "plot", "sigmoid", "-o", str(b), "--theme", "dark")
    assert a.read_bytes() == b.read_bytes()


BAD_TRAIN = [
    (["--activation", "rleu"], ["rleu", *VALID]),
    (["--activation", ""], list(VALID)),
    (["--epochs", "0"], ["'0'", "greater than 0"]),
    (["--epochs", "-3"], ["'-3'"]),
    (["--epochs", "ten"], ["'ten'", "whole number"]),
    (["--epochs", "1.5"], ["'1.5'", "whole number"]),
    (["--lr", "fast"], ["'fast'", "not a number"]),
    (["--lr", "0"], ["'0'"]),
    (["--lr", "nan"], ["'nan'"]),
    (["--lr", "inf"], ["'inf'"]),
    (["--seed", "-1"], ["'-1'"]),
    (["--batch-size", "0"], ["'0'"]),
    (["--samples", "x"], ["'x'"]),
    (["--device", "tpu"], ["tpu", "cpu", "cuda"]),
    (["--unknown"], ["--unknown"]),
]


def _assert_one_clean_line(code: int, err: str, *needles: str) -> None:
    assert code == 2
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("activation-tutorial")
    assert "error" in lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.mark.parametrize(("args", "needles"), BAD_TRAIN, ids=lambda v: " ".join(v))
def test_bad_train_input_is_one_line_and_status_2(capsys, args, needles):
    code, out, err = run(capsys, "train", *args)
    _assert_one_clean_line(code, err, *needles)
    assert out == ""


def test_unknown_activation_in_plot_lists_the_names(capsys, tmp_path):
    code, _, err = run(capsys, "plot", "swish", "-o", str(tmp_path / "x.svg"))
    _assert_one_clean_line(code, err, "swish", *VALID)


@pytest.mark.parametrize("name", ["figure.pdf", "figure.txt", "figure"])
def test_plot_refuses_a_wrong_suffix(capsys, tmp_path, name):
    code, _, err = run(capsys, "plot", "relu", "-o", str(tmp_path / name))
    _assert_one_clean_line(code, err, name, ".svg", ".png")
    assert not (tmp_path / name).exists()


def test_plot_refuses_an_unwritable_path(capsys, tmp_path):
    # under a file, or in a folder that does not exist: unwritable even for root
    (tmp_path / "a-file").write_text("x")
    for target in (tmp_path / "a-file" / "out.svg", tmp_path / "missing" / "out.png"):
        code, _, err = run(capsys, "plot", "relu", "-o", str(target))
        _assert_one_clean_line(code, err, str(target))


def test_plot_refuses_a_folder_as_output(capsys, tmp_path):
    folder = tmp_path / "figure.svg"
    folder.mkdir()
    code, _, err = run(capsys, "plot", "relu", "-o", str(folder))
    _assert_one_clean_line(code, err, str(folder))


def test_missing_command_or_option_value(capsys):
    code, _, err = run(capsys)
    _assert_one_clean_line(code, err, "command")
    code, _, err = run(capsys, "plot", "relu")
    _assert_one_clean_line(code, err, "--output")
    code, _, err = run(capsys, "dance")
    _assert_one_clean_line(code, err, "dance", "train", "plot", "list")


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_cuda_without_a_gpu_is_one_line(capsys):
    code, _, err = run(capsys, "train", "--device", "cuda")
    _assert_one_clean_line(code, err, "cuda")


@pytest.mark.slow
def test_bad_input_from_the_shell_is_one_line_and_status_2():
    proc = subprocess.run(
        [sys.executable, "-m", "activation_tutorial", "train", "--epochs", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    _assert_one_clean_line(proc.returncode, proc.stderr, "'0'")
    assert proc.stdout == ""
