"""Floor: one tiny Plotly chart, the least a chart page can cost in this Streamlit and browser."""

import plotly.graph_objects as go
import streamlit as st

st.title("One Plotly chart")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])), key="floor-chart")
