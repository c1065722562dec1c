"""Argument types shared by every command: a bad value is refused by argparse with exit 2."""

from __future__ import annotations

import argparse
import os


def positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value


def at_least_one(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def threads(text: str) -> int:
    """Solver threads, capped at the machine's cores: more only slows every solve down."""
    return min(at_least_one(text), os.cpu_count() or 1)
