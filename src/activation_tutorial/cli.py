"""The command line: `activation-tutorial train | plot | list`."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, activations
from .config import ExampleConfig

__all__ = ["main"]

PROG = "activation-tutorial"
_FLOAT32_MAX = 3.4028234663852886e38


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2."""

    def error(self, message: str):  # type: ignore[override]
        if message.endswith("required: command"):
            message += " (train, plot or list; see --help)"
        self.exit(2, f"{PROG}: error: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"{text!r} must be from 0 to 2**63 - 1")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    # parameters are float32: a step size beyond its range cannot be applied
    if not 0 < value <= _FLOAT32_MAX:
        raise argparse.ArgumentTypeError(
            f"{text!r} must be a number above 0 and at most {_FLOAT32_MAX:.3g}"
        )
    return value


def _output_path(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("the file name is empty; name a .svg or .png")
    return Path(text)


def _activation_name(text: str) -> str:
    try:
        return activations.get(text).name
    except activations.UnknownActivationError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _build_parser() -> _Parser:
    defaults = ExampleConfig()
    parser = _Parser(
        prog=PROG,
        description="Why neural networks need activation functions: "
        "run the tutorial's experiments from the shell.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(
        dest="command",
        required=True,
        parser_class=_Parser,
        metavar="command",
        title="commands",
    )

    train = commands.add_parser(
        "train", help="train the example network and print its losses"
    )
    train.add_argument(
        "--activation",
        type=_activation_name,
        default="relu",
        help="registry name (see `list`); default: relu",
    )
    train.add_argument("--seed", type=_non_negative_int, default=0, help="default: 0")
    train.add_argument(
        "--epochs",
        type=_positive_int,
        default=defaults.epochs,
        help=f"default: {defaults.epochs}",
    )
    train.add_argument(
        "--lr",
        type=_positive_float,
        default=defaults.lr,
        help=f"learning rate; default: {defaults.lr}",
    )
    train.add_argument(
        "--batch-size",
        type=_positive_int,
        default=defaults.batch_size,
        help=f"default: {defaults.batch_size}",
    )
    train.add_argument(
        "--samples",
        type=_positive_int,
        default=defaults.samples,
        help=f"default: {defaults.samples}",
    )
    train.add_argument(
        "--log-every",
        type=_positive_int,
        default=10,
        help="print one line every N epochs; default: 10",
    )
    train.add_argument(
        "--device",
        choices=("auto", "cpu", "cuda"),
        default="auto",
        help="auto uses a CUDA GPU when there is one; default: auto",
    )
    train.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object with every loss, and nothing else",
    )

    plot = commands.add_parser("plot", help="write the figure of one activation")
    plot.add_argument("name", type=_activation_name, help="registry name (see `list`)")
    plot.add_argument(
        "--output",
        "-o",
        type=_output_path,
        required=True,
        help="file to write; .svg or .png",
    )
    plot.add_argument("--theme", choices=("light", "dark"), default="light")

    commands.add_parser("list", help="list the activations of the registry")
    return parser


class _Progress:
    """Training progress: a bar on a terminal, plain lines otherwise."""

    def __init__(self, epochs: int, every: int, device) -> None:
        self.every = every
        self.epoch = 0
        print(f"training on {device.type}", file=sys.stderr, flush=True)
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=epochs, unit="epoch", file=sys.stderr, leave=False)

    def __call__(self, line: str) -> None:
        self.epoch += 1
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str("loss " + line.rsplit("loss ", 1)[-1])
        elif self.epoch % self.every == 0:
            print(line, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _train(args: argparse.Namespace, parser: _Parser) -> int:
    from .devices import pick_device
    from .example import run_example

    try:
        device = pick_device(args.device)
    except ValueError as error:
        parser.error(str(error))
    config = ExampleConfig(
        samples=args.samples, batch_size=args.batch_size, epochs=args.epochs, lr=args.lr
    )
    progress = None if args.json else _Progress(config.epochs, args.log_every, device)
    try:
        result = run_example(
            args.activation,
            args.seed,
            config,
            log=progress,
            log_every=1,
            device=device,
        )
    except (RuntimeError, MemoryError) as error:
        # PyTorch's own words, on one line: what it could not do
        if progress is not None:
            progress.close()
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        hint = ""
        if "overflow" in detail:
            hint = f"; the learning rate {config.lr:g} is too large to apply"
        elif "allocate" in detail or isinstance(error, MemoryError):
            hint = f"; {config.samples} samples do not fit in memory"
        parser.exit(1, f"{PROG}: error: training stopped: {detail}{hint}\n")
    if progress is not None:
        progress.close()
    losses = result.history
    if not math.isfinite(losses.epoch_losses[-1]):
        print(
            f"{PROG}: warning: the loss is no longer a finite number; "
            f"the learning rate {config.lr:g} is probably too large",
            file=sys.stderr,
        )
    if args.json:
        print(
            json.dumps(
                {
                    "activation": result.activation,
                    "seed": result.seed,
                    "parameters": result.parameters,
                    "device": device.type,
                    "epochs": config.epochs,
                    "lr": config.lr,
                    "batch_size": config.batch_size,
                    "samples": config.samples,
                    "epoch_losses": _finite_or_none(losses.epoch_losses),
                    "batch_losses": _finite_or_none(losses.batch_losses),
                },
                allow_nan=False,
            )
        )
    else:
        print(
            f"done: activation={result.activation} seed={result.seed} "
            f"parameters={result.parameters} device={device.type} "
            f"final epoch loss {losses.epoch_losses[-1]:.6f}"
        )
    return 0


def _finite_or_none(values: list[float]) -> list[float | None]:
    # NaN and infinity are not JSON: a loss that overflowed becomes null
    return [v if math.isfinite(v) else None for v in values]


def _plot(args: argparse.Namespace, parser: _Parser) -> int:
    from .plots import activation_figure, themed

    suffix = args.output.suffix.lower()
    if args.output.is_dir():
        parser.error(f"cannot write {str(args.output)!r}: it is a folder; name a file")
    if suffix not in (".svg", ".png"):
        parser.error(
            f"cannot write {str(args.output)!r}: the output must end in .svg or .png"
        )
    with themed(args.theme):
        fig = activation_figure(args.name, theme=args.theme)
        try:
            fig.savefig(
                args.output, metadata={"Date": None} if suffix == ".svg" else None
            )
        except OSError as error:
            parser.error(
                f"cannot write {str(args.output)!r}: {error.strerror or error}"
            )
    print(f"wrote {args.output}")
    return 0


def _list() -> int:
    for name in activations.names():
        act = activations.get(name)
        tag = " (extra)" if act.extra else ""
        print(f"{name:<11} {act.display_name}{tag}: {act.description}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: `sys.argv[1:]`)."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "train":
            return _train(args, parser)
        if args.command == "plot":
            return _plot(args, parser)
        return _list()
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
