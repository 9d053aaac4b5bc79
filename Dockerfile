# Sparring: the bot in a container, on the current Node LTS (24) and Debian bookworm.
#
# - Build stage: better-sqlite3 is installed from its prebuilt binary, or built from source with the
#   toolchain installed here; TypeScript is compiled (only what runs: src, adapters, bin); the dev
#   dependencies are pruned. The final image holds no compiler, no sources' tests, no .env, no data.
# - Runs as the unprivileged `node` user; the database lives on the /data volume.
# - Node is the container's main process (not npm), so `docker stop`'s SIGTERM reaches it: it stops
#   claiming, lets deliveries and requests under way finish within SHUTDOWN_TIMEOUT_MS (8 s here,
#   under Docker's default 10 s grace; compose.yaml gives 15 s) and exits 0. No init (tini) is needed:
#   Sparring spawns no child processes, so there are no zombies to reap (compose.yaml sets
#   `init: true` anyway, which costs nothing).
# - With no platform credentials the container refuses to start (exit 1, one line saying what to
#   set): NODE_ENV=production never runs the local chat, which would seed the demo programme.
# - One container per database file: a second one on the same volume refuses to start.
# - HEALTHCHECK asks GET /healthz on PORT with Node's fetch (the slim image has no curl).

FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY adapters adapters
COPY bin bin
# Compile only what the image runs (the bench and the test scripts import test helpers it does not carry).
RUN printf '{"extends":"./tsconfig.build.json","include":["src","adapters","bin"]}\n' > tsconfig.image.json \
 && npx tsc -p tsconfig.image.json \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    DATABASE_PATH=/data/sparring.db \
    PORT=3000 \
    SHUTDOWN_TIMEOUT_MS=8000
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY migrations migrations
COPY prompts prompts
RUN mkdir -p /data /backups && chown node:node /data /backups
VOLUME ["/data"]
EXPOSE 3000
USER node
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/bin/sparring.js", "start"]
