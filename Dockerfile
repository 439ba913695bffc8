# One image for every service of docker-compose.yml, built from the committed lock file.
FROM python:3.11-slim

# Bytecode compiled at build time: containers start without compiling every module they import.
ENV UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DAGSTER_HOME=/opt/dagster/home

RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app

COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN uv sync --frozen --no-dev \
    && mkdir -p "$DAGSTER_HOME" \
    && cp deploy/dagster.yaml "$DAGSTER_HOME/dagster.yaml"

CMD ["warehouse", "--help"]
