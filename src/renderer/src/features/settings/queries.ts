/** Query keys of the settings that are not an area's own (the security settings). */
export const settingsKeys = {
  all: ['settings'] as const,
  security: () => [...settingsKeys.all, 'security'] as const
}
