# One image for web, worker and beat. Stateless: PostgreSQL and Redis hold all state (the
# worker also appends the audit chain head to its anchor volume).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_COMPILE_BYTECODE=1 \
    PATH="/opt/venv/bin:$PATH" DJANGO_SETTINGS_MODULE=rectify.settings.prod

WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# collectstatic needs settings but no secrets of consequence
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 rectify && chown -R rectify /app \
    && install -d -o rectify -m 0750 /var/lib/rectify/audit-anchor
USER rectify
EXPOSE 8000
# Logging without client addresses or user agents: see deploy/gunicorn.conf.py.
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "rectify.wsgi"]
