"""gunicorn settings shared by every way the project is served (Dockerfile, docker-compose,
`make fuzz`): gunicorn reads this file from the working directory."""

# The longest request line gunicorn accepts (its maximum). Beyond it gunicorn answers a bare
# HTML 400 before Django sees the request; below it, Django's own bound (MAX_URL_LENGTH,
# core.middleware.BoundedAddressMiddleware) answers a French 414, JSON under /api/.
limit_request_line = 8190
