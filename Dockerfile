# clickstream: one image for `convert`, `analyze` (coordinator) and `worker`.
#   docker build -t clickstream .
#   docker compose up -d --scale worker=8      (see docker-compose.yml and docs/distributed.md)

# ---- build: compile TypeScript to dist/ ------------------------------------------------------
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY jobs ./jobs
COPY workers ./workers
COPY fixtures ./fixtures
COPY bench ./bench
# `npm ci` runs the `prepare` script (tsc -p .), which writes dist/.
RUN npm ci --no-audit --no-fund

# ---- runtime: production dependencies and the compiled code only ------------------------------
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run tsc, which is a dev dependency; dist comes from the build
# stage. The native packages (DuckDB, canvas, msgpackr) ship prebuilt binaries as dependencies.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# Shared data (datasets, reports) is mounted here by docker-compose.yml; owned by the node user.
RUN mkdir -p /data && chown node:node /data
USER node
CMD ["node", "bin/clickstream.js", "--help"]
