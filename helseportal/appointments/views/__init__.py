"""Thin views: the citizen's pages (`citizen`) under /timeavtaler/ and the staff's (`staff`) under /helsepersonell/."""
