"""`python -m scheduler worker` / `python -m scheduler run-job NAME --as-of DATE`."""

from scheduler.cli import main

main()
