"""The authorization server's views: the token and discovery endpoints, the consent page, disconnecting an app."""
