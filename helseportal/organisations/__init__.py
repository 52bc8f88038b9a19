"""Units: GP offices, health stations, HFU, schools and their school health service, hospitals."""
