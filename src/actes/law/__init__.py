"""The law engine: court calendars, deadlines, rate tables, the décompte, procedure definitions
and what they allow next."""
