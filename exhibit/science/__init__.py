"""Science: clocks and time zones, the Earth's geography (what lies below a point, great-circle distances), and
the Apollo–Soyuz orbit reconstruction. Takes tables from :mod:`exhibit.data`; draws nothing."""
