"""The API's contract as its OpenAPI document states it, checked against the running app."""
