"""Security settings (MLPS 2.0 level 2 / OWASP ASVS level 2)."""
