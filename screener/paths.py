"""Where the project's data folders (rulesets/, lists/, sample_entries/) are found."""

from __future__ import annotations

import os
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent


def data_dir(name: str, env: str | None = None) -> Path:
    """``$env`` if set, else ``./name`` if it exists, else the source checkout's ``name``."""
    if env and os.environ.get(env):
        return Path(os.environ[env])
    here = Path.cwd() / name
    return here if here.is_dir() else CHECKOUT / name
