# One image for web, worker and beat. Stateless: PostgreSQL and Redis hold all state.
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
    && useradd --system --uid 1000 rectify && chown -R rectify /app
USER rectify
EXPOSE 8000
CMD ["gunicorn", "rectify.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
