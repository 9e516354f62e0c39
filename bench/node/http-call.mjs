// One JSON call to a server on 127.0.0.1, for the bench's node clients: resolves to { status, body }.
import http from 'node:http';

export function caller(port, maxSockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return (method, path, body, token) => new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, path, method, agent, headers: {
      'Content-Type': 'application/json', ...(token ? { Authorization: 'Bearer ' + token } : {}) } }, (res) => {
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(data);
  });
}
