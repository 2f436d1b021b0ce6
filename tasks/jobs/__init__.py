"""Background jobs: progress and result of long operations."""
