# The monitor's image: every stage and the web app; the command picks which one runs.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    MONITOR_DATA_DIR=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY monitor ./monitor
COPY pipelines ./pipelines
COPY config ./config
RUN pip install . \
    && useradd --system --home /data monitor \
    && mkdir -p /data && chown monitor /data

USER monitor
VOLUME ["/data"]
EXPOSE 8000 9100
ENTRYPOINT ["monitor"]
CMD ["run"]
