# syntax=docker/dockerfile:1
# gitops-waves: the GitHub App (Probot) as a small, non-root image on Node 24 LTS.

# --- build: compile TypeScript with the dev dependencies --------------------------------------
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would compile before the sources are copied; we build below.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies and the compiled app only -------------------------------
FROM node:24-slim AS runtime
# HOST: Probot listens on localhost unless told otherwise, unreachable from outside a container.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# git is needed at run time: promotion commits are built in a cached clone of the GitOps repo.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY templates ./templates
COPY schema ./schema
COPY app.yml ./app.yml
USER node
EXPOSE 3000
# No curl in slim images: ask node itself. /healthz answers 200 when the app is up and GitHub reachable.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["npm", "start"]
