"""Alerts: what a watch's digest and spike messages say, and how they are delivered."""
