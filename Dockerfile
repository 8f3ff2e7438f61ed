# Portico image: the control plane (dist/src/control-plane/main.js), data-plane workers
# (dist/src/data-plane/main.js) and the all-in-one start (dist/src/main.js, the default) from one build.
# Two stages: the build compiles the TypeScript with the dev dependencies (tsc); the image runs the
# compiled JavaScript with the production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY migrations ./migrations
COPY openapi ./openapi
# dist/src, dist/migrations, dist/openapi; the benchmark's baselines (dist/scripts) are not shipped.
RUN npm run build && rm -rf dist/scripts dist/.tsbuildinfo dist/.build-stamp

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
ENV PORTICO_HOST=0.0.0.0
# 4567: management API, /health, /ready, /metrics; 4568: deployed APIs, /_portico/{health,ready,metrics}
EXPOSE 4567 4568
# node as PID 1 gets SIGTERM directly: workers drain requests in flight, then exit.
CMD ["node", "dist/src/main.js"]
