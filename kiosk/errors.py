"""The kiosk package's exceptions. Each message says what to do, in words a clerk can act on."""


class KioskError(Exception):
    """Base of every error the kiosk application raises on purpose."""


class ConfigError(KioskError):
    """kiosk.toml is unreadable or holds a wrong value; the message names the file and key."""
