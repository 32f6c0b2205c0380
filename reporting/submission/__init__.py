"""A report as sent, whatever its channel: its form and its saving, shared by the public intake and the
staff's recording of letters, visits, calls and emails."""
