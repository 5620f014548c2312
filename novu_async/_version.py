# the package's version (hatchling reads it here; the package never asks importlib.metadata)
__version__ = "0.2.0"
