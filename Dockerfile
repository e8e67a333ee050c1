# syntax=docker/dockerfile:1
# Multi-stage image: the native better-sqlite3 addon is compiled in the builder (it needs python3, make, g++),
# the runtime stage carries only production dependencies and runs as a non-root user.

FROM node:20-bookworm-slim AS builder
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Full install first (type-check in the image build), then prune to production dependencies.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY drizzle ./drizzle
RUN npx tsc --noEmit -p tsconfig.json
RUN npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=/data/bot.sqlite
WORKDIR /app
# A dedicated unprivileged user owns the data volume; the code stays read-only for it.
RUN groupadd --system bot && useradd --system --gid bot --home-dir /app bot \
 && mkdir -p /data && chown bot:bot /data
COPY --from=builder /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY drizzle ./drizzle
USER bot
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# The same as `npm start`, without npm in the signal path so SIGTERM reaches the process and it shuts down cleanly.
CMD ["node", "--import", "tsx", "src/main.ts"]
