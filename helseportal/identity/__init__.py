"""Persons and practitioners: who someone is, keyed by fødselsnummer/D-nummer or HPR number."""
