"""Portal: sync of dossiers to the national public-service portal and identity checks at receipt."""
