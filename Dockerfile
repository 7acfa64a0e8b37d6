# One image for the API, the worker and the migration job (docker-compose.yml picks the command).
FROM node:20-bookworm-slim AS build
WORKDIR /app
# npm 10 in this image ignores package.json's allowScripts: at least keep swagger-ui's telemetry script quiet.
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# The workflow bundle is built here, once: the workers load it instead of running webpack at every start.
RUN npm run build && npm run bundle-workflows -- dist/workflow-bundle.js && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/api/server.js"]
