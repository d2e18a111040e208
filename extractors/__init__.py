"""Pure readers: files and page images in, dataclasses out. Imports no other Credence package."""
