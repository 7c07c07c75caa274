"""The bundled sample: AI-in-entertainment news written for the demo, served on 127.0.0.1."""
