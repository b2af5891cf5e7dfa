"""The running services: polling, delivery, notices, pruning, metrics, the process."""
