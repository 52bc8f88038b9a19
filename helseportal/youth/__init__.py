"""The youth-facing experience: for 13–16-year-olds with MinID, invisible to their parents."""
