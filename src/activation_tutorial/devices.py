"""Choosing where to train: the GPU when there is one, else the CPU."""

from __future__ import annotations

import torch

__all__ = ["pick_device"]


def pick_device(requested: str = "auto") -> torch.device:
    """Return the device for `requested` ("auto", "cpu" or "cuda").

    "auto" picks CUDA when available and the CPU otherwise.

    Examples:
        >>> pick_device("cpu")
        device(type='cpu')
    """
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was requested but no CUDA GPU is available")
    if requested not in ("cpu", "cuda"):
        raise ValueError(
            f"unknown device {requested!r}; valid devices: auto, cpu, cuda"
        )
    return torch.device(requested)
