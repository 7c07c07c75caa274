"""I/O: fetching feeds and pages over HTTP, politely and within limits."""
