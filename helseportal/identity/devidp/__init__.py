"""The development identity provider: real OIDC, ID-porten- and HelseID-shaped tokens, synthetic persons only."""
