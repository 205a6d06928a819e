# The default settings module: `congvu.settings` is the embedded (SQLite) development setup.
from congvu.settings.base import *  # noqa: F401,F403
