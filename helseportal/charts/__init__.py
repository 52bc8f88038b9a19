"""Accessible SVG charts drawn on the server, for pages and PDFs alike (`svg.line_chart`: lines, points and
reference bands, with a text description). A shared room with no domain in it: the pregnancy card's charts and
the record services' trend charts draw with it."""
