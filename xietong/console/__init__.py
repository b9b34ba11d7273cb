"""The read-only web console: sign-in links and sessions (tokens), and the figures its pages show."""
