"""Figures: plotly charts (:mod:`.charts`), folium maps (:mod:`.maps`), pictures and drawings made from the data
(:mod:`.pictures`), the replay's positions (:mod:`.replay`), and :func:`.present.present`, which wraps any of them
with caption, alt text and data table. Builders take DataFrames; they never read files themselves."""
