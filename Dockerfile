# Opgavemonitor: N Streamlit processes behind nginx in one container (deploy/run-multi.sh).
# The store lives in the volume /data; fill and refresh it with the `refresh` service in
# compose.yaml (or `docker run ... python3 -m data_sources refresh`).
FROM python:3.11-slim-bookworm

# chromium: plotly's static export (kaleido) draws the Download tab's PNG and SVG with it
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx chromium \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN python3 -m pip install --no-cache-dir --disable-pip-version-check -r requirements.txt
COPY . .

RUN useradd --system --home /app opgavemonitor && mkdir -p /data && chown opgavemonitor /data
USER opgavemonitor
ENV OPGAVEMONITOR_DATA_DIR=/data \
    OPGAVEMONITOR_MODE=alleen-lezen \
    APP_PROCESSES=2
VOLUME /data
EXPOSE 8080
# nginx listens on all interfaces inside the container; the app processes on loopback only.
CMD ["sh", "-c", "exec bash deploy/run-multi.sh -n \"$APP_PROCESSES\" -p 8080 -l 0.0.0.0 -d /tmp/opgavemonitor"]
