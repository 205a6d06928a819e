"""Citizen-facing one-stop: public catalogue, online filing, dossier lookup, ratings, PAKN."""
