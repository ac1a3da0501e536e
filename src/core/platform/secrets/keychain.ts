import { createRequire } from 'node:module'
import type * as Keyring from '@napi-rs/keyring'
import { SecretStoreError, checkSecretName, type SecretStore } from './store'

/** The keychain's service name: every secret Coffer keeps is an account under it. */
export const KEYCHAIN_SERVICE = 'Coffer'

/** What the OS calls its keychain, for messages. */
export function keychainWords(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'the macOS Keychain'
  if (platform === 'win32') return 'Windows Credential Manager'
  return 'the Secret Service keychain (GNOME Keyring or KWallet)'
}

/**
 * The binding, loaded on first use (starting the app or a command that keeps
 * no secret does not pay for it). Through createRequire so that neither
 * bundler follows it: its native files stay in node_modules.
 */
let binding: typeof Keyring | null = null
function keyring(): typeof Keyring {
  binding ??= createRequire(__filename)('@napi-rs/keyring') as typeof Keyring
  return binding
}

const text = (e: unknown) => (e instanceof Error ? `${e.message} ${e.cause instanceof Error ? e.cause.message : ''}` : String(e))

/** The library's error as one of Coffer's problems, with what to do. */
export function keychainError(e: unknown, doing: string, platform: NodeJS.Platform = process.platform): SecretStoreError {
  const raw = text(e)
  const where = keychainWords(platform)
  if (platform === 'linux' && /DBUS_SESSION_BUS_ADDRESS|DBus error|ServiceUnknown|org\.freedesktop\.DBus\.Error|autolaunch|No such file or directory/i.test(raw)) {
    return new SecretStoreError(
      'KEYCHAIN_UNAVAILABLE',
      `Coffer cannot ${doing}: there is no keychain in this session (${where} is not running, as on a server or in a remote shell).`,
      { cause: e }
    )
  }
  if (/no result found|locked|NoStorageAccess|AccessDenied|not unlocked|prompt/i.test(raw)) {
    return new SecretStoreError(
      'KEYCHAIN_LOCKED',
      `Coffer cannot ${doing}: ${where} is locked or has no default keyring. Unlock it (signing in to the desktop usually does), then try again.`,
      { cause: e }
    )
  }
  return new SecretStoreError('KEYCHAIN_FAILED', `Coffer cannot ${doing}: ${where} refused. Nothing was kept or changed.`, {
    cause: e
  })
}

/**
 * The OS keychain through @napi-rs/keyring: the macOS Keychain, Windows
 * Credential Manager, or on Linux the Secret Service only. The binding would
 * otherwise fall back to the kernel keyring, which forgets everything at
 * reboot: a data file's key kept there would be lost with it.
 */
export function keychainSecretStore(service = KEYCHAIN_SERVICE): SecretStore {
  const entry = (name: string, doing: string): Keyring.Entry => {
    checkSecretName(name)
    try {
      return new (keyring().Entry)(service, name, { linux: { store: 'secret-service' } })
    } catch (e) {
      throw keychainError(e, doing)
    }
  }
  const read = (name: string, doing: string): string | null => {
    const en = entry(name, doing)
    try {
      const bytes = en.getSecret()
      return bytes === null ? null : Buffer.from(bytes).toString('utf8')
    } catch (e) {
      throw keychainError(e, doing)
    }
  }
  return {
    where: keychainWords(),
    get: (name) => read(name, 'read a secret from the keychain'),
    set: (name, value) => {
      if (value === '') throw new Error('A secret cannot be empty.')
      const doing = 'keep a secret in the keychain'
      try {
        entry(name, doing).setSecret(Buffer.from(value, 'utf8'))
      } catch (e) {
        throw e instanceof SecretStoreError ? e : keychainError(e, doing)
      }
      // A locked keychain can accept a write and answer nothing: only a read-back proves it is kept.
      if (read(name, doing) !== value) {
        throw new SecretStoreError('KEYCHAIN_FAILED', `Coffer cannot ${doing}: ${keychainWords()} did not give back what was kept. Nothing was changed.`)
      }
    },
    delete: (name) => {
      const doing = 'remove a secret from the keychain'
      try {
        return entry(name, doing).deleteCredential()
      } catch (e) {
        throw e instanceof SecretStoreError ? e : keychainError(e, doing)
      }
    }
  }
}
