"""Background jobs: work too long for a request (a large ledger, a batch of posters, a handover).

One interface, `services.start(kind, user, params)`, and two runners chosen by configuration: without
REPORTING_REDIS_URL a thread of the site runs the job; with it, an RQ queue on that Redis that
`flask --app wsgi jobs worker` empties. Either way the result is kept in the database, in pieces, so that
any host serves the download from `/staff/jobs/<id>`.
"""
