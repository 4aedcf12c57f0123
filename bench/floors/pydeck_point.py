"""Floor: one pydeck point without a base map, the least the Map page's deck.gl view can cost.

The sidebar search box keeps only the points whose name holds the text: the floor of a filter change that
redraws the deck."""

import pydeck as pdk
import streamlit as st

st.title("One pydeck point")
search = st.sidebar.text_input("Search")
points = [point for point in ({"name": "a", "lon": 116.4, "lat": 39.9}, {"name": "b", "lon": 121.5, "lat": 31.2})
          if search in point["name"]]
layer = pdk.Layer("ScatterplotLayer", data=points, get_position="[lon, lat]", get_radius=20000,
                  get_fill_color=[200, 30, 0])
# A line of text that changes with the search: deck.gl draws on a canvas, which no DOM change shows, and a rerun this
# fast may not toggle the script-state attribute either; the benchmark ends such a rerun at its last DOM change.
st.caption(f"{len(points)} of 2 points")
st.pydeck_chart(pdk.Deck(layers=[layer], initial_view_state=pdk.ViewState(latitude=39.9, longitude=116.4, zoom=4),
                         map_provider=None), key="floor-deck")  # no tiles: offline, like the Map page
