"""Environment access for the settings (HackSoft-style ``config/env.py``)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is optional; the process environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
