// The vTeam frontend: serves public/ and forwards /api/* to the backend service.
'use strict';

const http = require('node:http');
const fs = require('node:fs/promises');
const path = require('node:path');

const port = Number(process.env.PORT || 3000);
const backend = new URL(process.env.BACKEND_URL || 'http://backend-api:8080');
const publicDir = path.join(__dirname, 'public');
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

function proxy(req, res) {
  const upstream = http.request(
    { hostname: backend.hostname, port: backend.port, path: req.url, method: req.method, headers: req.headers, timeout: 15000 },
    (answer) => {
      res.writeHead(answer.statusCode || 502, answer.headers);
      answer.pipe(res);
    });
  upstream.on('timeout', () => upstream.destroy(new Error('backend timed out')));
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: 'backend unavailable' }));
  });
  req.pipe(upstream);
}

async function serveStatic(req, res) {
  const requested = new URL(req.url, 'http://localhost').pathname;
  const file = path.normalize(path.join(publicDir, requested === '/' ? 'index.html' : requested));
  if (!file.startsWith(publicDir + path.sep)) {
    res.writeHead(400).end();
    return;
  }
  try {
    const body = await fs.readFile(file);
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  }
}

function handle(req, res) {
  if (req.url === '/healthz') return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
  if (req.url.startsWith('/api/')) return proxy(req, res);
  return void serveStatic(req, res);
}

if (require.main === module) {
  const server = http.createServer(handle);
  server.listen(port, () => console.log(`frontend listening on ${port}, backend ${backend.origin}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

module.exports = { handle };
