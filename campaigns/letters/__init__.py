"""Letters: templates in a sandbox, interpellations, letters, replies and reminders."""
