"""The e-passport chip (ICAO Doc 9303 Parts 10-12): reading it, and verifying what it holds."""
