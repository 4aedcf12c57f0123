"""Floor: the smallest Streamlit page. Every dashboard page is timed against this, in the same run."""

import streamlit as st

st.title("Hello, world")
st.metric("Floor", "1")
