# One image for the API, the workers and the portal (the command picks which). Build stage compiles
# with Nx; the runtime stage carries production dependencies only and runs as an unprivileged user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN CI=true npm ci </dev/null
COPY . .
RUN NX_DAEMON=false npx nx run-many -t build -p api portal --output-style=static

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# Every process of the image (API, workers, portal): V8's young generation at 4 MB a semi-space, not 16, a
# 1.5 GB heap limit, not 4 GB (the heap grows less between full collections), and at most two glibc malloc
# arenas, as scripts/runtime-env.js gives npm start's (docs/performance.md "Memory"). An operator's own
# NODE_OPTIONS replaces the two flags; docker-compose.yml gives the API Node's 16 MB semi-space, as npm
# start does (docs/performance.md "The API's young generation").
ENV NODE_OPTIONS="--max-semi-space-size=4 --max-old-space-size=1536" MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN CI=true npm ci --omit=dev --ignore-scripts </dev/null && npm cache clean --force
COPY --from=build /app/dist ./dist
# seed-demo writes the demo sign-in details to .demo/ (it prints them too).
RUN mkdir -p /app/.demo && chown node:node /app/.demo
USER node
EXPOSE 3000 3001
CMD ["node", "dist/apps/api/main.js"]
