"""Refuse to start a deployment (staging, production) on any warning from Django's deployment checks."""
