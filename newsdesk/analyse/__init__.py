"""Pure analysis over rows: stories, trends, bursts, impact, the impact matrix, event types."""
