# The monitor's image: every stage and the web app; the command picks which one runs.

# Build stage: a wheel with the extractor compiled by mypyc (setup.py), which needs a C compiler.
FROM python:3.11-slim AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY monitor ./monitor
COPY pipelines ./pipelines
# the build is profile-guided (setup.py): the instrumented extractor reads the development
# corpora with the config, so both are here and the monitor's dependencies are installed first,
# and the wheel is built in this environment, not in an isolated one without them
COPY config ./config
COPY tests/data/realdev ./tests/data/realdev
COPY tests/data/dev/corpus ./tests/data/dev/corpus
RUN MONITOR_PURE_PYTHON=1 pip install --no-cache-dir . \
    && pip install --no-cache-dir "setuptools>=68" "mypy>=1.17"
RUN pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /wheels .

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    MONITOR_DATA_DIR=/data

# Debian's Chromium, which Playwright drives for sources with render = "browser" (the Ministry's
# columns among them); Playwright's own browser download is never used
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY config ./config
COPY --from=build /wheels /wheels
RUN wheel="$(ls /wheels/*.whl)" \
    && pip install "${wheel}[browser]" \
    && rm -rf /wheels \
    && useradd --system --home /data monitor \
    && mkdir -p /data && chown monitor /data

USER monitor
VOLUME ["/data"]
EXPOSE 8000 9100
ENTRYPOINT ["monitor"]
CMD ["run"]
