"""Indices: scoring frameworks (766, PAR INDEX, DTI, satisfaction) over the metrics registry."""
