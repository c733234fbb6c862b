# syntax=docker/dockerfile:1.7
# hybridstate server (and the `hybridstate` command) on Node 20. The server's TypeScript runs
# through tsx (no compile step); only the two UIs (apps/admin, apps/mini-app) are built, with
# vite, a dev dependency. Four stages: manifests (for cached `npm ci` layers), the UI build,
# the production dependencies, and a slim runtime that runs as the unprivileged `node` user.
# apps/server/test/deploy/dockerfile.test.ts replays this file step by step (no Docker engine needed).

ARG NODE_VERSION=20-bookworm-slim

# 1. Only the package.json files, the lockfile and the bin scripts they name, so each
#    `npm ci` reruns only when they change (and npm can link the `hybridstate` command).
FROM node:${NODE_VERSION} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -path ./node_modules -prune -o -type f \( -name package.json -o -name package-lock.json -o -path './packages/*/bin/*' \) -print \
    | xargs cp --parents -t /manifests

# 2. The UIs: the two UI workspaces with their dev dependencies (vite), then `npm run build`
#    (vite reads the root tsconfig.json the UIs' tsconfigs extend).
FROM node:${NODE_VERSION} AS build
WORKDIR /src
COPY --from=manifests /manifests ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci -w apps/admin -w apps/mini-app --prefer-offline --no-audit --no-fund
COPY tsconfig.json ./
COPY packages ./packages
COPY apps ./apps
RUN npm run build

# 3. Production dependencies of every workspace (tsx is one: it runs the server).
FROM node:${NODE_VERSION} AS deps
WORKDIR /app
COPY --from=manifests /manifests ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --prefer-offline --no-audit --no-fund

# 4. Runtime: dependencies, sources and the built UIs, owned by root, run as `node` (uid 1000).
#    The server builds a UI only when its dist is missing, so it never tries to here.
FROM node:${NODE_VERSION} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    PGLITE_DATA_DIR=/data/pglite
WORKDIR /app
COPY --from=deps /app ./
COPY package.json ./
COPY packages ./packages
COPY apps ./apps
COPY --from=build /src/apps/admin/dist ./apps/admin/dist
COPY --from=build /src/apps/mini-app/dist ./apps/mini-app/dist
# Embedded PGlite (no DATABASE_URL) writes here; mount a volume on /data to keep it.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Railway ignores this (it uses railway.json's healthcheckPath); plain Docker and Compose use it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `docker exec <container> npx hybridstate doctor` runs the checklist inside the container.
CMD ["node", "--import", "tsx", "apps/server/src/main.ts"]
