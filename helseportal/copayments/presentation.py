"""Amounts as the pages and the PDF write them: Norwegian kroner, øre only when there are any."""

NBSP = "\u00a0"


def kroner(ore: int) -> str:
    """`327800` → «3 278 kr», `15250` → «152,50 kr» (a no-break space between thousands and before «kr»)."""
    whole, rest = divmod(ore, 100)
    text = f"{whole:,}".replace(",", NBSP)
    if rest:
        text += f",{rest:02d}"
    return f"{text}{NBSP}kr"
