/**
 * Where Coffer keeps secrets (the data file's key, and later the SMTP
 * password): never in the database, never in a backup, never in a file of
 * its own. The app keeps them in the OS keychain (keychain.ts); the command
 * line reads an environment variable first, for servers without a keychain.
 */

/**
 * A secret's name: lower-case words, then optionally `/` and an id
 * (`db-key/0f3a...`, `smtp-password`). The part before the slash names the
 * environment variable (envVarFor).
 */
export const SECRET_NAME = /^[a-z][a-z0-9-]{0,39}(\/[a-z0-9-]{1,64})?$/

export interface SecretStore {
  /** Where the secrets are kept, in words: "this computer's keychain (Secret Service)". */
  readonly where: string
  /** The secret, or null when none is kept under this name. Throws SecretStoreError when the store cannot be read. */
  get(name: string): string | null
  /** Keeps the secret, then reads it back: throws SecretStoreError unless the store now holds exactly this value. */
  set(name: string, value: string): void
  /** Forgets the secret: true if one was kept. */
  delete(name: string): boolean
}

export type SecretStoreProblem =
  /** No keychain here (Linux without a Secret Service on the session bus). */
  | 'KEYCHAIN_UNAVAILABLE'
  /** There is a keychain but it is locked, or has no default collection to keep secrets in. */
  | 'KEYCHAIN_LOCKED'
  /** Anything else the keychain answered. */
  | 'KEYCHAIN_FAILED'
  /** The store is read-only (environment variables). */
  | 'READ_ONLY'

/** A secret store that cannot do what was asked, in Coffer's words (the library's error is the cause, for the log). */
export class SecretStoreError extends Error {
  constructor(
    readonly problem: SecretStoreProblem,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
    this.name = 'SecretStoreError'
  }
}

export function checkSecretName(name: string): void {
  if (!SECRET_NAME.test(name)) throw new Error(`Not a secret name: ${JSON.stringify(name).slice(0, 80)}`)
}

/**
 * The environment variable the command line reads for a secret: COFFER_ and
 * the name before any slash, upper-cased, dashes as underscores
 * (`db-key/...` → COFFER_DB_KEY, `smtp-password` → COFFER_SMTP_PASSWORD).
 */
export function envVarFor(name: string): string {
  checkSecretName(name)
  const base = name.split('/')[0] ?? name
  return `COFFER_${base.toUpperCase().replace(/-/g, '_')}`
}

/**
 * Secrets from environment variables (envVarFor), read-only: for the command
 * line on a server with no keychain. An empty variable counts as unset.
 */
export function envSecretStore(env: NodeJS.ProcessEnv): SecretStore {
  const readOnly = (name: string) =>
    new SecretStoreError('READ_ONLY', `Coffer cannot keep a secret in an environment variable (${envVarFor(name)}); set it yourself.`)
  return {
    where: 'environment variables',
    get: (name) => {
      const v = env[envVarFor(name)]
      return v && v.trim() !== '' ? v : null
    },
    set: (name) => {
      throw readOnly(name)
    },
    delete: (name) => {
      throw readOnly(name)
    }
  }
}

/**
 * Reads from the first store that holds the secret (environment variables
 * before the keychain, for the command line); keeps and forgets in the last
 * one (the keychain). A store that cannot be read is an error, not "no secret".
 */
export function chainedSecretStore(readFirst: SecretStore, keeper: SecretStore): SecretStore {
  return {
    where: `${readFirst.where}, then ${keeper.where}`,
    get: (name) => readFirst.get(name) ?? keeper.get(name),
    set: (name, value) => keeper.set(name, value),
    delete: (name) => keeper.delete(name)
  }
}
