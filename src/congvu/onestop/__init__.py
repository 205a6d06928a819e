"""One-stop shop (một cửa): procedures catalogue, dossiers, their clock and live figures."""
