# Portico image: the control plane (src/control-plane/main.ts), data-plane workers
# (src/data-plane/main.ts) and the all-in-one start (src/main.ts, the default) from one build.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
ENV PORTICO_HOST=0.0.0.0 NODE_ENV=production
# 4567: management API, /health, /ready, /metrics; 4568: deployed APIs, /_portico/{health,ready,metrics}
EXPOSE 4567 4568
# node as PID 1 gets SIGTERM directly: workers drain requests in flight, then exit.
CMD ["node", "--import", "tsx", "src/main.ts"]
