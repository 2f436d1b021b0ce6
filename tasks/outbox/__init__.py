"""The e-mail outbox: every e-mail is a row, delivered by workers with retries."""
