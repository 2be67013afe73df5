"""trafficking_course: the package behind the course notebooks.

The notebooks stay thin: narrative plus short calls into this package, where the logic lives
and is unit tested. See README.md for the map of modules.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("trafficking-course")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
