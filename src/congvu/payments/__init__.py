"""Fees, online and cash payments, e-receipts (biên lai điện tử) and refunds of one-stop dossiers."""
