"""What lies below a point: countries from the bundled outline, seas from the sea table."""

from exhibit.science import geo


def test_countries_and_seas_by_name():
    names = geo.place_at([49.12, 51.56, 55.75, 45.0, 22.0, 46.6, 50.5], [6.18, 13.0, 37.6, -20.0, -163.0, -5.9, 0.0])
    assert list(names) == ["France", "Germany", "Russia", "North Atlantic Ocean", "North Pacific Ocean",
                           "Bay of Biscay", "English Channel"]


def test_seas_belong_to_their_ocean():
    assert list(geo.in_region([46.6, 50.5, 49.12], [-5.9, 9.0, 6.18], "North Atlantic Ocean")) == [True, False, False]
    assert list(geo.in_region([50.5], [9.0], "Germany")) == [True]
