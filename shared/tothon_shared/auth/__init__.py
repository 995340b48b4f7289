"""Identity and authorisation shared by every service: roles, tokens, principals and scopes."""
