"""The e-passport chip (ICAO Doc 9303 Parts 10-12): reading it, and verifying what it holds.

``reader.read_chip(transport, key)`` reads a chip (``transport.PcscTransport`` talks to a PC/SC
reader); ``evidence.verify_chip`` adds passive authentication against the trust store
(``trust.TrustStore``); ``session.read_for`` does both for a screening's MRZ. The package
imports nothing itself, so the command line stays quick to start.
"""
