"""Helsekort for gravide: the digital pregnancy health card, for the woman and the midwife she chooses."""
