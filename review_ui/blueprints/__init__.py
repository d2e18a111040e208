"""One blueprint per area of the web app; each view parses, loads, calls one service, renders."""
