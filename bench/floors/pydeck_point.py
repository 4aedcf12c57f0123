"""Floor: one pydeck point without a base map, the least the Map page's deck.gl view can cost."""

import pydeck as pdk
import streamlit as st

st.title("One pydeck point")
layer = pdk.Layer("ScatterplotLayer", data=[{"lon": 116.4, "lat": 39.9}], get_position="[lon, lat]",
                  get_radius=20000, get_fill_color=[200, 30, 0])
st.pydeck_chart(pdk.Deck(layers=[layer], initial_view_state=pdk.ViewState(latitude=39.9, longitude=116.4, zoom=4),
                         map_provider=None), key="floor-deck")  # no tiles: offline, like the Map page
