# gs1ld resolver server: serves a site built by `gs1ld site build`, mounted at /srv/site.
#
#   gs1ld site build catalog/ -o site --base-url https://id.brand.example
#   docker build -t gs1ld .
#   docker run --rm -p 8080:8080 -v "$PWD/site:/srv/site:ro" \
#       -e GS1LD_SERVE_BASE_URL=https://id.brand.example gs1ld
#
# Every `gs1ld serve` option can be set as GS1LD_SERVE_<OPTION> (e.g. GS1LD_SERVE_WORKERS=2).
# Mount the site folder itself (the -o of the build), never its `current` link: a build
# keeps the folder and publishes by replacing `current` (a relative link into
# .gs1ld-builds/), so `gs1ld site build ... -o site` on the host is picked up within a
# second without a restart; a mount of the link would stay on the build it named.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
COPY mappings ./mappings
COPY contexts ./contexts
COPY shapes ./shapes
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GS1LD_SERVE_HOST=0.0.0.0 \
    GS1LD_SERVE_PORT=8080
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin gs1ld
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('GS1LD_SERVE_PORT', '8080'); sys.exit(urllib.request.urlopen(f'http://127.0.0.1:{port}/.well-known/gs1ld/health', timeout=2).status != 200)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["gs1ld", "serve"]
CMD ["/srv/site"]
