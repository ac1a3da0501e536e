import { describe, expect, it } from 'vitest'
import { DEV_CSP, STRICT_CSP } from '../../../src/shared/csp'

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.slice(d.indexOf(' ') + 1)]))

describe('the Content Security Policy', () => {
  it('is strict in built output: nothing inline, nothing remote, nothing framed', () => {
    const strict = directives(STRICT_CSP)
    expect(strict.get('default-src')).toBe("'none'")
    expect(strict.get('script-src')).toBe("'self'")
    expect(strict.get('frame-ancestors')).toBe("'none'")
    expect(STRICT_CSP).not.toContain('unsafe')
    expect(STRICT_CSP).not.toMatch(/https?:|ws:/)
  })

  it('relaxes only the dev server preamble and websocket, every other directive is the same', () => {
    const strict = directives(STRICT_CSP)
    const dev = directives(DEV_CSP)
    expect([...dev.keys()]).toEqual([...strict.keys()])
    const changed = [...dev.keys()].filter((k) => dev.get(k) !== strict.get(k))
    expect(changed.sort()).toEqual(['connect-src', 'script-src', 'style-src'])
    expect(dev.get('connect-src')).toContain('ws://localhost:*')
  })
})
