import http from 'node:http'

/**
 * An SMS gateway on loopback for tests: a plain HTTP server that records
 * every request (method, URL, headers, body) and answers each with the
 * status the test queued for it (200 when none is queued).
 */
export interface GatewayRequest {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

export interface TestGateway {
  /** http://127.0.0.1:<port> */
  url: string
  requests: GatewayRequest[]
  /** The answers for the next requests, in order: a status and a body. */
  answers: { status: number; body: string }[]
  stop(): Promise<void>
}

export async function startGateway(): Promise<TestGateway> {
  const requests: GatewayRequest[] = []
  const answers: { status: number; body: string }[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      const a = answers.shift() ?? { status: 200, body: '{"status":"accepted","id":"sms-1"}' }
      res.writeHead(a.status, { 'content-type': 'application/json' })
      res.end(a.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answers,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
