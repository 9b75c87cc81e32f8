"""`python -m pool` is the same as the `patentpool` command."""

from pool.cli import main

main()
