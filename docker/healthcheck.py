"""Health check of the web container: exit 0 when Django answers on port 8000.

Any answer below 500 counts as healthy. A 400 only means that the probe's Host
(127.0.0.1) is not in ALLOWED_HOSTS, which is a deployment choice, not a broken app;
the X-Forwarded-Proto header keeps SECURE_SSL_REDIRECT from sending the probe to HTTPS.
"""

import sys
import urllib.error
import urllib.request

URL = "http://127.0.0.1:8000/api/"


def main() -> int:
    request = urllib.request.Request(URL, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=5):
            return 0
    except urllib.error.HTTPError as error:
        return 0 if error.code < 500 else 1
    except OSError as error:
        print(f"healthcheck: {URL}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
