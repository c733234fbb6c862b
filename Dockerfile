# syntax=docker/dockerfile:1.7
# hybridstate server (and the `hybridstate` command) on Node 20. No build step: the
# TypeScript runs through tsx. Three stages: manifests (for a cached `npm ci` layer), the
# production dependencies, and a slim runtime that runs as the unprivileged `node` user.

ARG NODE_VERSION=20-bookworm-slim

# 1. Only package.json files and the lockfile, so `npm ci` reruns only when they change.
FROM node:${NODE_VERSION} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -path ./node_modules -prune -o \( -name package.json -o -name package-lock.json \) -print \
    | xargs cp --parents -t /manifests

# 2. Production dependencies of every workspace (tsx is one: it runs the server).
FROM node:${NODE_VERSION} AS deps
WORKDIR /app
COPY --from=manifests /manifests ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# 3. Runtime: dependencies + sources, owned by root, run as `node` (uid 1000).
FROM node:${NODE_VERSION} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    PGLITE_DATA_DIR=/data/pglite
WORKDIR /app
COPY --from=deps /app ./
COPY package.json ./
COPY packages ./packages
COPY apps ./apps
# Embedded PGlite (no DATABASE_URL) writes here; mount a volume on /data to keep it.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Railway ignores this (it uses railway.json's healthcheckPath); plain Docker and Compose use it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `docker exec <container> npx hybridstate doctor` runs the checklist inside the container.
CMD ["node", "--import", "tsx", "apps/server/src/main.ts"]
