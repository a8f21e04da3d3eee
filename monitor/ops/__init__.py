"""What the operator sees and is told: source health, stage throughput and lag, the dead-letter
queue and its requeue, and feed-health emails. The web page is `monitor/web/ops.py`."""
