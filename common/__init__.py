"""Code every jiebang process shares: settings, auth, errors, rule sets, database, HTTP."""
