/**
 * The renderer's Content Security Policy, in one place: nothing inline,
 * nothing remote. The built page carries it in a meta tag
 * (electron.vite.config.ts) and the coffer:// scheme sends it as a header too
 * (src/main/window.ts).
 *
 * The dev server (`npm run dev`) needs an inline React Refresh preamble and a
 * websocket: DEV_CSP is the same policy with exactly those relaxations; built
 * output always carries STRICT_CSP.
 */
const STRICT: Record<string, string> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
  'object-src': "'none'"
}

const DEV_RELAXED: Record<string, string> = {
  'script-src': "'self' 'unsafe-inline'",
  'style-src': "'self' 'unsafe-inline'",
  'connect-src': "'self' ws://localhost:* http://localhost:*"
}

const render = (directives: Record<string, string>) =>
  Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ')

export const STRICT_CSP = render(STRICT)
export const DEV_CSP = render({ ...STRICT, ...DEV_RELAXED })
