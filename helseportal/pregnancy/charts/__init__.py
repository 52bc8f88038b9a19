"""The card's charts as accessible SVG, drawn on the server for the page and the PDF alike: the SF-mål, blood
pressure and weight charts (`card`), drawn with the shared `helseportal.charts.svg`."""

from helseportal.pregnancy.charts.card import blood_pressure_chart, sf_chart, weight_chart

__all__ = ["blood_pressure_chart", "sf_chart", "weight_chart"]
