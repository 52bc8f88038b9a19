"""The tiny shared kernel: Oslo time, Norwegian identifiers, middleware every page passes through."""
