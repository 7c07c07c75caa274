"""Running jobs unattended: per-job locks, the run wrapper (runs table, logging), and the scheduler."""
