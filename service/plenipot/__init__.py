"""Plenipot: a proposal-tracking knowledge graph for ITU conferences."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("plenipot")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
