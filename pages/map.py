"""Placeholder until this page lands."""
import streamlit as st

st.title("map")
st.info("This page is being built.")
