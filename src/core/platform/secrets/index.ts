import { keychainSecretStore } from './keychain'
import { chainedSecretStore, envSecretStore, type SecretStore } from './store'

export { KEYCHAIN_SERVICE, keychainSecretStore, keychainWords } from './keychain'
export { SecretStoreError, envSecretStore, envVarFor, chainedSecretStore, type SecretStore, type SecretStoreProblem } from './store'

/**
 * The secret store for a process: the app uses the OS keychain only; the
 * command line (`env` given) reads each secret's environment variable first
 * (COFFER_DB_KEY, COFFER_SMTP_PASSWORD...), then the keychain.
 */
export function secretStore(opts: { env?: NodeJS.ProcessEnv } = {}): SecretStore {
  const keychain = keychainSecretStore()
  return opts.env ? chainedSecretStore(envSecretStore(opts.env), keychain) : keychain
}
