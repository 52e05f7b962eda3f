"""Every write of the payments app, by subdomain:

- events: the webhook's inbox and the worker's one-time application (`handlers`);
- reconcile: what Stripe knows that no webhook told us;
- refunds, cod, ledger, payouts, tax, issues.
"""
