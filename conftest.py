import os

# Tests run with the test environment's settings (DEBUG off, synthetic identities on) unless told otherwise.
os.environ.setdefault("HELSEPORTAL_ENV", "test")
