"""The content app's pages: `public` (the week articles, the unit pages and their pictures, no login) and
`staff` (a unit's editors keep its page, staff and notices at /helsepersonell/enhet/)."""
