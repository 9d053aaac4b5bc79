# Sparring: the bot in a container. Node 20 on Debian bookworm, like the development machines;
# better-sqlite3 is built from source in the build stage. Node runs as the container's main process
# (not under npm), so `docker stop`'s SIGTERM reaches it: it finishes deliveries under way within
# SHUTDOWN_TIMEOUT_MS, kept below Docker's default 10 s grace. One container per database file: a
# second one on the same volume refuses to start.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY adapters adapters
COPY bin bin
COPY bench bench
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production DATABASE_PATH=/data/sparring.db SHUTDOWN_TIMEOUT_MS=8000
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY migrations migrations
COPY prompts prompts
RUN mkdir -p /data && chown node:node /data
VOLUME /data
EXPOSE 3000
USER node
STOPSIGNAL SIGTERM
CMD ["node", "dist/bin/sparring.js", "start"]
