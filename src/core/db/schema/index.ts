export * from './profile'
export * from './members'
