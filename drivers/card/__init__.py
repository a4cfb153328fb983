"""My Number card over PC/SC: apdu/tlv (bytes) -> reader (transport) -> mynumber (the card)."""
