import { describe, expect, it } from 'vitest'
import { isAllowedExternalUrl } from '../../../src/shared/external-links'

describe('external links allowlist', () => {
  it('allows mail and phone links', () => {
    expect(isAllowedExternalUrl('mailto:jane@example.org')).toBe(true)
    expect(isAllowedExternalUrl('mailto:jane@example.org?subject=Coupon')).toBe(true)
    expect(isAllowedExternalUrl('tel:+254700123456')).toBe(true)
  })
  it('refuses everything else', () => {
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'http://example.org',
      'https://evil.example.com/',
      'https://user:pw@example.org/',
      'mailto:not-an-address',
      'data:text/html,<script>alert(1)</script>',
      'coffer://app/index.html',
      'smb://server/share',
      '',
      'not a url'
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false)
    }
  })
})
