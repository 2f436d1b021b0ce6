# One image for every process of services mode: the web server (gunicorn), the Celery
# worker and Celery beat. docker-compose.yml picks the command for each service.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's system libraries: the same list scripts/system-deps.sh checks for on a
# development machine. Pango lays out text, HarfBuzz's subset library keeps PDF font
# subsetting fast, DejaVu gives the letters a font that covers French.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies before the code, so that a code change does not reinstall them.
# Only the runtime requirements: test tools stay out of the production image.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are baked into the image (WhiteNoise serves them from STATIC_ROOT);
# media and anything written at run time go under /data, where volumes are mounted.
ENV STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    VAR_DIR=/data/var

# The settings refuse to load without SECRET_KEY when DEBUG=0. This key exists only for
# this one command and is never stored in the image; VAR_DIR points at a throwaway place
# because manage.py makes the embedded-mode folders there when it starts.
RUN SECRET_KEY=collectstatic-at-build-time-only DEBUG=0 VAR_DIR=/tmp/build-var \
        python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var

# The code stays owned by root, read-only for the process; only /data is writable.
# A named volume mounted on /data/media starts with this directory's owner, so the
# unprivileged user can write letters (PDF) there. The numeric id lets orchestrators
# check that the container does not run as root.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app app \
    && mkdir -p /data/media /data/var \
    && chown -R app:app /data
USER 10001:10001

EXPOSE 8000

ENTRYPOINT ["sh", "/app/docker/entrypoint.sh"]
# Threads let one worker process wait on the database for several requests; heavy
# work (PDF, e-mail) runs in Celery, not here. The heartbeat file lives in memory
# because an overlay file system can stall it.
CMD ["gunicorn", "backend.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--worker-tmp-dir", "/dev/shm", "--max-requests", "1000", "--max-requests-jitter", "100", "--access-logfile", "-"]
