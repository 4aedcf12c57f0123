"""Placeholder until this page lands."""
import streamlit as st

st.title("nature_index")
st.info("This page is being built.")
