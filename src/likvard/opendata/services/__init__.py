"""Released figures for other tools: a Kolada-compatible API and open data sets."""
