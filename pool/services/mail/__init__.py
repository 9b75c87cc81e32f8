"""Delivering the outbox by e-mail: claiming, sending, retrying and requeueing messages
(`delivery`), building each message (`composing`), the transports it leaves by (`transports`:
SMTP or `.eml` files) and the outbox as staff read it (`outbox`). Other contexts only write
outbox rows; this one calls no other context."""
