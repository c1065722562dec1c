"""Build the shipped real-data instances from the raw public data (issue 6)."""

from optimizer.sources.databuild.build import SPECS, build_instances

__all__ = ["SPECS", "build_instances"]
