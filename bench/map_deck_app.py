"""A page with only the Map page's deck and a search box, for `bench/map_layer_costs.py`: `?drop=` leaves out layers.

The outlines are the served images (`static/outlines/`), as on the Map page. `?drop=BitmapLayer` (a layer type) or
`?drop=field-keys` (a layer id) leaves that layer out; `?drop=outline` keeps the province fill but no outline;
`?outline=vector` draws the outlines as the GeoJSON layer's paths (the deck without images), `?outline=wireframe` as
the fill's wireframe (GL lines); `?simplify=0.1` simplifies the provinces to that tolerance (degrees) first; `?layout=wide` lays the page out as the dashboard does. Run by the benchmark, never by the dashboard.
"""

import base64

import streamlit as st

from china_bigscience import maps
from china_bigscience.catalogue import load_catalogue
from china_bigscience.filters import FacilityFilter, filter_facilities

st.set_page_config(layout="wide" if st.query_params.get("layout") == "wide" else "centered")
catalogue = st.cache_resource(lambda: load_catalogue(validate=False))()
drop = st.query_params.get_all("drop")
with st.sidebar:
    text = st.text_input("Search")
facilities = filter_facilities(catalogue.facilities, FacilityFilter(text=text))
# Outlines inlined: Streamlit serves static/ beside the main script, and this one is in bench/ (a URL would 404
# and draw no provinces at all, which once made this page look fast).
vector = st.query_params.get("outline") in ("vector", "wireframe")
images = () if vector else maps.served_outline_images(catalogue.boundaries_path)
deck = maps.facility_deck(facilities, catalogue.boundaries_geojson, boundaries_url=None, outline_images=images)
# The images inlined as data URLs, for the same reason (this sends ~0.3 MB more per rerun than the Map page does).
inlined = {image.url: "data:image/png;base64," + base64.b64encode(
    (maps.STATIC_DIR / "outlines" / image.file).read_bytes()).decode() for image in images}
for layer in deck.layers:
    if layer.type == "BitmapLayer":
        layer.image = inlined[str(layer.image).strip("'\"")]
for layer in deck.layers:
    if layer.id == maps.PROVINCE_LAYER_ID and "outline" in drop:
        layer.stroked = False
    if layer.id == maps.PROVINCE_LAYER_ID and st.query_params.get("outline") == "wireframe":
        layer.stroked, layer.extruded, layer.wireframe, layer.get_elevation, layer.material = False, True, True, 0, False
if st.query_params.get("simplify"):
    import shapely
    from shapely.geometry import mapping, shape
    tolerance = float(st.query_params.get("simplify"))
    simple = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": mapping(shapely.simplify(shape(f["geometry"]), tolerance))}
        for f in catalogue.boundaries_geojson["features"]]}
    for layer in deck.layers:
        if layer.id == maps.PROVINCE_LAYER_ID:
            layer.data = simple
deck.layers = [layer for layer in deck.layers if layer.id not in drop and layer.type not in drop
               and not (layer.type == "BitmapLayer" and "outline" in drop)]
st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key="facility_map", height=540)
st.write(f"{len(facilities)} facilities")
