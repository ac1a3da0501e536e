/**
 * The only links Coffer hands to the operating system. Anything else (a
 * pasted javascript: URL, a file: path, an unknown website) is refused.
 */
export const ALLOWED_HTTPS_HOSTS: readonly string[] = []

const EMAIL = /^[^\s@/?#]+@[^\s@/?#]+\.[^\s@/?#]+$/

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  switch (url.protocol) {
    case 'mailto:': {
      const address = decodeURIComponent(url.pathname)
      return address.split(',').every((a) => EMAIL.test(a.trim()))
    }
    case 'tel:':
      return /^\+?[0-9 ()./-]{3,40}$/.test(decodeURIComponent(url.pathname))
    case 'https:':
      return url.username === '' && url.password === '' && ALLOWED_HTTPS_HOSTS.includes(url.hostname)
    default:
      return false
  }
}
