"""Pure parsing: bytes in, records out."""
