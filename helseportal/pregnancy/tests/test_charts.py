import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helseportal.charts.svg import LEFT, MARKERS, RIGHT, TOP, Band, Series, line_chart, ticks
from helseportal.pregnancy.charts import blood_pressure_chart, sf_chart, weight_chart
from helseportal.pregnancy.dates import GestationalAge

NS = "{http://www.w3.org/2000/svg}"
SHAPES = {"circle", "rect", "polygon", "path"}


def chart(**overrides):
    options = {
        "chart_id": "test",
        "title": "Tittel",
        "description": "Beskrivelse",
        "x_label": "x",
        "y_label": "y",
        "x_range": (0, 10),
        "y_range": (0, 100),
        "series": [Series("A", [(0, 0), (5, 50), (10, 100)], style="points", marker="circle")],
    }
    return line_chart(**{**options, **overrides})


def parse(svg):
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed


def plot_box(root):
    """The plot area (left, top, right, bottom), read from the axis lines drawn in the chart's ink."""
    axes = [line for line in root.iter(f"{NS}line") if line.get("stroke") == "#1a1a1a"]
    x_axis = next(line for line in axes if line.get("y1") == line.get("y2"))
    return float(x_axis.get("x1")), float(TOP), float(x_axis.get("x2")), float(x_axis.get("y1"))


def data_markers(root):
    group = next(g for g in root.iter(f"{NS}g") if g.get("clip-path"))
    # The band is a polygon too, but shaded: markers are the opaque shapes.
    return [child for child in group if child.tag[len(NS) :] in SHAPES and not child.get("fill-opacity")]


def test_the_chart_is_well_formed_svg_named_by_its_title_and_description():
    root = parse(chart(chart_id="sf-kari"))
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "sf-kari-title sf-kari-desc"
    assert root.find(f"{NS}title").get("id") == "sf-kari-title"
    assert root.find(f"{NS}title").text == "Tittel"
    assert root.find(f"{NS}desc").get("id") == "sf-kari-desc"
    assert root.find(f"{NS}desc").text == "Beskrivelse"
    assert root.get("viewBox") == "0 0 640 360"


def test_the_chart_obeys_the_content_security_policy():
    svg = sf_chart([(GestationalAge(24), 24)], [(GestationalAge(25), 25)], "sf")
    for markup in (svg, blood_pressure_chart([(24.0, 120, 80)], "bp"), weight_chart([(24.0, 70)], "w")):
        assert "style=" not in markup
        assert "<script" not in markup.lower()
        assert "javascript:" not in markup.lower()


def test_all_text_is_escaped():
    nasty = 'Kari <script>alert("x")</script> & "Ola"'
    svg = chart(title=nasty, description=nasty, x_label=nasty, y_label=nasty, series=[Series(nasty, [(1, 1)])])
    assert "<script" not in svg
    root = parse(svg)
    texts = [element.text for element in root.iter() if element.text]
    assert texts.count(nasty) == 5  # title, description, both axis labels and the legend
    assert "&lt;script&gt;" in svg


@pytest.mark.parametrize("chart_id", ["", "1chart", 'x" onload="alert(1)', "a b"])
def test_it_refuses_chart_ids_that_are_not_plain_xml_ids(chart_id):
    with pytest.raises(ValueError, match="chart id"):
        chart(chart_id=chart_id)


def test_two_charts_on_a_page_have_distinct_ids():
    ids = [[e.get("id") for e in parse(chart(chart_id=name)).iter() if e.get("id")] for name in ("one", "two")]
    assert ids[0]
    assert not set(ids[0]) & set(ids[1])


def test_points_map_into_the_plot_area_corner_to_corner():
    root = parse(chart())
    left, top, right, bottom = plot_box(root)
    assert (left, right) == (LEFT, 640 - RIGHT)
    centres = [(float(c.get("cx")), float(c.get("cy"))) for c in data_markers(root)]
    assert centres[0] == (left, bottom)  # (0, 0): bottom left
    assert centres[1] == ((left + right) / 2, (top + bottom) / 2)
    assert centres[2] == (right, top)  # (10, 100): top right


@given(st.lists(st.tuples(st.floats(16, 42), st.floats(10, 50)), min_size=1, max_size=20))
def test_any_point_inside_the_ranges_lands_inside_the_plot_area(points):
    root = parse(chart(x_range=(16, 42), y_range=(10, 50), series=[Series("A", points, marker="circle")]))
    left, top, right, bottom = plot_box(root)
    for circle in data_markers(root):
        assert left - 0.01 <= float(circle.get("cx")) <= right + 0.01
        assert top - 0.01 <= float(circle.get("cy")) <= bottom + 0.01


def test_data_outside_the_ranges_is_clipped_to_the_plot_area():
    root = parse(chart(series=[Series("A", [(-5, 500), (5, 50)])]))
    clip = root.find(f"{NS}defs/{NS}clipPath")
    group = next(g for g in root.iter(f"{NS}g") if g.get("clip-path"))
    assert group.get("clip-path") == f"url(#{clip.get('id')})"


def test_each_series_has_its_own_marker_shape_so_colour_is_not_the_only_cue():
    series = [Series(f"S{i}", [(1, 10 * i + 5)], style="points") for i in range(len(MARKERS))]
    root = parse(chart(series=series))
    markers = data_markers(root)
    polygons = [m.get("points") for m in markers if m.tag == f"{NS}polygon"]
    # circle, square, triangle, diamond as polygons of 4, 3 and 4 corners, and a cross as a path.
    assert [m.tag[len(NS) :] for m in markers] == ["circle", "polygon", "polygon", "polygon", "path"]
    assert [len(p.split()) for p in polygons] == [4, 3, 4]
    assert polygons[0] != polygons[2]


def test_lines_are_solid_or_dashed_and_point_series_have_no_line():
    root = parse(
        chart(
            series=[
                Series("solid", [(0, 10), (10, 20)]),
                Series("dashed", [(0, 30), (10, 40)], dashed=True),
                Series("points", [(0, 50), (10, 60)], style="points"),
            ]
        )
    )
    group = next(g for g in root.iter(f"{NS}g") if g.get("clip-path"))
    lines = group.findall(f"{NS}polyline")
    assert [line.get("stroke-dasharray") for line in lines] == [None, "6 4"]


def test_the_band_is_a_shaded_polygon_named_in_the_legend():
    band = Band("Referanse", lower=[(0, 10), (10, 20)], upper=[(0, 30), (10, 40)])
    root = parse(chart(band=band))
    polygon = next(p for p in root.iter(f"{NS}polygon") if p.get("fill-opacity"))
    assert len(polygon.get("points").split()) == 4
    assert "Referanse" in [t.text for t in root.iter(f"{NS}text")]


def test_the_sf_chart_draws_the_intergrowth_band_over_weeks_16_to_42():
    root = parse(sf_chart([], [], "sf"))
    left, _top, right, _bottom = plot_box(root)
    polygon = next(p for p in root.iter(f"{NS}polygon") if p.get("fill-opacity"))
    xs = [float(point.split(",")[0]) for point in polygon.get("points").split()]
    assert (min(xs), max(xs)) == (left, right)
    tick_labels = {t.text: float(t.get("x")) for t in root.iter(f"{NS}text") if t.get("text-anchor") == "middle"}
    assert (tick_labels["16"], tick_labels["42"]) == (left, right)
    assert "INTERGROWTH-21st, ±2 SD" in [t.text for t in root.iter(f"{NS}text")]


def test_the_sf_chart_shows_her_own_measurements_apart_from_the_clinicians():
    svg = sf_chart([(GestationalAge(24), 24), (GestationalAge(28), 27)], [(25 + 3 / 7, 26)], "sf")
    root = parse(svg)
    legend = [t.text for t in root.iter(f"{NS}text")]
    assert {"Målt av helsepersonell", "Egne målinger", "Svangerskapsuke", "SF-mål (cm)"} <= set(legend)
    markers = data_markers(root)
    assert [m.tag[len(NS) :] for m in markers] == ["circle", "circle", "polygon"]
    description = root.find(f"{NS}desc").text
    assert "Målt av helsepersonell: 24+0: 24 cm; 28+0: 27 cm." in description
    assert "Egne målinger: 25+3: 26 cm." in description
    assert "INTERGROWTH-21st" in description


def test_an_empty_sf_chart_says_there_are_no_measurements():
    description = parse(sf_chart([], [], "sf")).find(f"{NS}desc").text
    assert "Målt av helsepersonell: ingen." in description


def test_the_blood_pressure_chart_keeps_140_over_90_in_view():
    root = parse(blood_pressure_chart([(GestationalAge(24, 3), 118, 76), (GestationalAge(28), 121, 79)], "bp"))
    labels = [t.text for t in root.iter(f"{NS}text")]
    assert {"Blodtrykk (mmHg)", "140", "80", "Øvre trykk (systolisk)", "Nedre trykk (diastolisk)"} <= set(labels)
    assert root.find(f"{NS}desc").text == "Blodtrykk: 24+3: 118/76 mmHg; 28+0: 121/79 mmHg."


def test_the_weight_chart_writes_kilos_with_a_decimal_comma():
    root = parse(weight_chart([(GestationalAge(8), Decimal("64.2")), (GestationalAge(16), 66.0)], "weight"))
    assert root.find(f"{NS}desc").text == "Vekt: 8+0: 64,2 kg; 16+0: 66,0 kg."
    assert "Vekt (kg)" in [t.text for t in root.iter(f"{NS}text")]
    assert len(data_markers(root)) == 2


def test_charts_render_without_any_data():
    for svg in (blood_pressure_chart([], "bp"), weight_chart([], "w")):
        assert "ingen" in parse(svg).find(f"{NS}desc").text


@pytest.mark.parametrize(
    ("low", "high", "most", "expected"),
    [
        (16, 42, 14, [16 + 2 * i for i in range(14)]),
        (10, 50, 9, [10, 15, 20, 25, 30, 35, 40, 45, 50]),
        (0, 1, 6, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    ],
)
def test_ticks_fall_on_round_numbers(low, high, most, expected):
    assert ticks(low, high, most) == pytest.approx(expected)


def test_fractional_tick_labels_use_a_decimal_comma():
    labels = [t.text for t in parse(chart(y_range=(0, 1))).iter(f"{NS}text")]
    assert {"0,2", "0,4"} <= set(labels)
    assert "0.2" not in labels


def test_every_number_in_the_markup_is_short():
    svg = sf_chart([(GestationalAge(24, 3), 24)], [], "sf")
    assert not re.search(r"\d\.\d{3,}", svg)
