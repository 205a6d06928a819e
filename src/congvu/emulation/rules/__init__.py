"""The rule engine (pure: no Django import): titles and forms of the Law on Emulation and
Commendation 2022 and its decrees as versioned rule sets in data."""
