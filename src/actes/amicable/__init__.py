"""Amicable work: the debtor's budget and payment plans (plans d'apurement)."""
