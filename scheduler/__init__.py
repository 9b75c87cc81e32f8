"""The jobs that close periods and issue statements (APScheduler 3, `worker`, with a leader
lock so one process runs them), the `patentpool` command line around the service, and the
demo pool generator (`demo`)."""
