export * from './profile'
export * from './members'
export * from './jobs'
export * from './notifications'
