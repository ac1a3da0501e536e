/**
 * The renderer's Content Security Policy: nothing inline, nothing remote. The
 * built page carries it in a meta tag (electron.vite.config.ts) and the
 * coffer:// scheme sends it as a header too (src/main/window.ts).
 */
export const STRICT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'"
].join('; ')
