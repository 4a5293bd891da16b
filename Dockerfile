# gatewatch image: `gatewatch serve` by default; docker-compose.yml also runs `gatewatch demo` from it.
# Build: docker build -t gatewatch .   Run: docker run -e GATEWATCH_DB=… -e GATEWATCH_API_TOKEN=… -p 127.0.0.1:4000:4000 gatewatch

# Node 24 LTS (supported until April 2028), with the npm 11 it ships; package.json's engines still
# allow Node 20 for development machines, and its allowScripts lets npm 12 build better-sqlite3 too.
FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary can be fetched: it needs a C++ toolchain.
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends g++ make python3 >/dev/null \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The lock file alone decides the dependencies (cached until it changes). `prepare` would build before
# the sources are here, so scripts are off and better-sqlite3, the one package whose install script
# allowScripts approves, is built explicitly.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3
COPY tsconfig.json schema.graphql ./
COPY src ./src
COPY queries ./queries
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/schema.graphql ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/queries ./queries
# `gatewatch check` names the panels a missing table empties from the dashboards shipped here.
COPY dashboards/grafana ./dashboards/grafana
# `gatewatch diagnose` links the runbooks shipped here when GATEWATCH_RUNBOOK_BASE_URL is unset.
COPY docs/runbooks.md ./docs/runbooks.md
# The embedded demo (no GATEWATCH_DB) is written under ./data; everything else is read-only to the app.
RUN mkdir data && chown node:node data
USER node
EXPOSE 4000
# /healthz: the process answers (readiness, /readyz, also needs the inventory). No curl in the image.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve", "--listen", "0.0.0.0:4000"]
