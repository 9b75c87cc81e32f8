"""The register of patent deals and its effects on the pool (issue 18)."""
