"""patentpool: an implementation-driven patent pool. The Litestar service (`app`, its API
controllers, web pages and services by bounded context under `services/`), its models,
migrations and command line; see docs/architecture.md for the map."""
