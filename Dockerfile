# Portico image: the control plane (and, later, data-plane workers) from the same build.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
ENV PORTICO_HOST=0.0.0.0
EXPOSE 4567
CMD ["node", "--import", "tsx", "src/main.ts"]
