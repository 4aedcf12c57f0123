"""Floor: one tiny Plotly chart, the least a chart page can cost in this Streamlit and browser.

The sidebar search box keeps only the bars whose label holds the text: the floor of a filter change that
redraws one chart."""

import plotly.graph_objects as go
import streamlit as st

st.title("One Plotly chart")
search = st.sidebar.text_input("Search")
bars = [(label, value) for label, value in (("a", 1), ("b", 3), ("c", 2)) if search in label]
st.plotly_chart(go.Figure(go.Bar(x=[label for label, _ in bars], y=[value for _, value in bars])), key="floor-chart")
